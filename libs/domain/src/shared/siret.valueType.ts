import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { digitSum, luhnValid } from './luhn';
import { showInput } from './input-display';

export type Siret = string & { readonly __brand: 'Siret' };

// La Poste registered its establishments before the Luhn key was enforced: its SIRETs (SIREN
// 356000000) are instead valid when the sum of their digits is a multiple of 5 (INSEE rule).
// Refusing them would lock a real supplier out, so both rules are accepted for that SIREN only.
const LA_POSTE_SIREN = '356000000';

// IMP-1: 14 digits and the Luhn key (La Poste: digit sum a multiple of 5).
export const isValidSiret = (s: string): boolean => {
  if (!/^\d{14}$/.test(s)) return false;
  if (luhnValid(s)) return true;
  return s.startsWith(LA_POSTE_SIREN) && digitSum(s) % 5 === 0;
};

export const parseSiret = (input: unknown, path?: string): Result<Siret, DossierError> => {
  if (typeof input !== 'string' || !/^\d{14}$/.test(input)) {
    return fail(
      dossierError('SIRET_INVALIDE', `SIRET invalide (${showInput(input)}) : 14 chiffres attendus`, path),
    );
  }
  if (!isValidSiret(input)) {
    return fail(
      dossierError(
        'SIRET_INVALIDE',
        `SIRET invalide (${showInput(input)}) : clé de contrôle (Luhn) incorrecte`,
        path,
      ),
    );
  }
  return ok(input as Siret);
};

/** The SIREN (company) part of a SIRET. */
export const sirenOf = (siret: Siret): string => siret.slice(0, 9);
