import type { DossierError, Result } from '../dossier/dossier.errors';
import { parseKeyedDigits, type KeyedDigits } from './keyed-digits';
import { luhnValid } from './luhn';

/** FINESS (géographique) of a bénéficiaire: 9 digits, Luhn key computed over all 9. */
export type Finess = string & { readonly __brand: 'Finess' };

// IMP-2: 9 digits, Luhn key over all 9.
export const isValidFiness = (s: string): boolean => /^\d{9}$/.test(s) && luhnValid(s);

const FINESS: KeyedDigits = { code: 'FINESS_INVALIDE', label: 'FINESS', digits: 9, keyHolds: luhnValid };

export const parseFiness = (input: unknown, path?: string): Result<Finess, DossierError> =>
  parseKeyedDigits<Finess>(FINESS, input, path);
