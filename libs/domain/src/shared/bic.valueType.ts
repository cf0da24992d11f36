import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { showInput } from './input-display';

/** BIC (ISO 9362): bank (4 letters), country (2 letters), location (2), optional branch (3). */
export type Bic = string & { readonly __brand: 'Bic' };

const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

export const normalizeBic = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

export const isValidBic = (s: string): boolean => BIC.test(normalizeBic(s));

// ENR-3: bank, country, location, optional branch.
export const parseBic = (input: unknown, path?: string): Result<Bic, DossierError> => {
  if (typeof input === 'string' && BIC.test(normalizeBic(input))) return ok(normalizeBic(input) as Bic);
  return fail(
    dossierError(
      'BIC_INVALIDE',
      `BIC invalide (${showInput(input)}) : 8 ou 11 caractères attendus (banque, pays, localité, agence), ex. BNPAFRPPXXX`,
      path,
    ),
  );
};
