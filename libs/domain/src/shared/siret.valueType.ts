import type { DossierError, Result } from '../dossier/dossier.errors';
import { parseKeyedDigits, type KeyedDigits } from './keyed-digits';
import { digitSum, luhnValid } from './luhn';

export type Siret = string & { readonly __brand: 'Siret' };

// La Poste registered its establishments before the Luhn key was enforced: its SIRETs (SIREN
// 356000000) are instead valid when the sum of their digits is a multiple of 5 (INSEE rule).
// Refusing them would lock a real supplier out, so both rules are accepted for that SIREN only.
const LA_POSTE_SIREN = '356000000';

// IMP-1: 14 digits and the Luhn key (La Poste: digit sum a multiple of 5).
export const isValidSiret = (s: string): boolean => /^\d{14}$/.test(s) && SIRET.keyHolds(s);

const SIRET: KeyedDigits = {
  code: 'SIRET_INVALIDE',
  label: 'SIRET',
  digits: 14,
  keyHolds: (s) => luhnValid(s) || (s.startsWith(LA_POSTE_SIREN) && digitSum(s) % 5 === 0),
};

export const parseSiret = (input: unknown, path?: string): Result<Siret, DossierError> =>
  parseKeyedDigits<Siret>(SIRET, input, path);

/** The SIREN (company) part of a SIRET. */
export const sirenOf = (siret: Siret): string => siret.slice(0, 9);
