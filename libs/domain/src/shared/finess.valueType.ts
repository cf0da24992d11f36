import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { luhnValid } from './luhn';
import { showInput } from './input-display';

/** FINESS (géographique) of a bénéficiaire: 9 digits, Luhn key computed over all 9. */
export type Finess = string & { readonly __brand: 'Finess' };

// IMP-2: 9 digits, Luhn key over all 9.
export const isValidFiness = (s: string): boolean => /^\d{9}$/.test(s) && luhnValid(s);

export const parseFiness = (input: unknown, path?: string): Result<Finess, DossierError> => {
  if (typeof input !== 'string' || !/^\d{9}$/.test(input)) {
    return fail(
      dossierError('FINESS_INVALIDE', `FINESS invalide (${showInput(input)}) : 9 chiffres attendus`, path),
    );
  }
  if (!luhnValid(input)) {
    return fail(
      dossierError(
        'FINESS_INVALIDE',
        `FINESS invalide (${showInput(input)}) : clé de contrôle (Luhn) incorrecte`,
        path,
      ),
    );
  }
  return ok(input as Finess);
};
