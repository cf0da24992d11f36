import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';

/** IBAN in electronic form: no spaces, capitals (`FR7630006000011234567890189`). */
export type Iban = string & { readonly __brand: 'Iban' };

// Lengths of the countries our suppliers' banks are in (SEPA neighbours of France); any other
// country is held to the ISO 13616 bounds 15–34 and the mod-97 key, which catches typos anyway.
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AT: 20,
  BE: 16,
  CH: 21,
  DE: 22,
  DK: 18,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  IE: 22,
  IT: 27,
  LI: 21,
  LU: 20,
  MC: 27,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  SE: 24,
};

/** Paper form (spaces, lower case) → electronic form. */
export const normalizeIban = (s: string): string => s.replace(/[\s\u00a0]+/g, '').toUpperCase();

// Letters become 10..35 and the 4 first characters move to the end; the remainder is computed
// chunk by chunk because the number has up to 70 digits.
const mod97 = (iban: string): number => {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    remainder = Number(`${remainder}${value}`) % 97;
  }
  return remainder;
};

const problemOf = (iban: string): string | null => {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return 'format attendu : code pays (2 lettres), clé (2 chiffres), puis lettres et chiffres';
  }
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected !== undefined && iban.length !== expected) {
    return `un IBAN ${iban.slice(0, 2)} compte ${expected} caractères (reçu ${iban.length})`;
  }
  if (iban.length < 15 || iban.length > 34) return 'un IBAN compte de 15 à 34 caractères';
  if (mod97(iban) !== 1) return 'clé de contrôle incorrecte';
  return null;
};

export const isValidIban = (s: string): boolean => problemOf(normalizeIban(s)) === null;

// The IBAN is not quoted back in the message: bank details do not belong in logs and reports.
// ENR-2: country length, ISO 13616 bounds and the mod-97 key.
export const parseIban = (input: unknown, path?: string): Result<Iban, DossierError> => {
  if (typeof input !== 'string')
    return fail(dossierError('IBAN_INVALIDE', 'IBAN invalide : texte attendu', path));
  const iban = normalizeIban(input);
  const problem = problemOf(iban);
  return problem === null
    ? ok(iban as Iban)
    : fail(dossierError('IBAN_INVALIDE', `IBAN invalide : ${problem}`, path));
};

/** Display form with only the last 4 characters visible, grouped by 4 like a bank statement. */
// ENR-5: only the last 4 characters shown.
export const maskIban = (iban: string): string => {
  const s = normalizeIban(iban);
  const visible = s.slice(-4);
  const masked = '*'.repeat(Math.max(0, s.length - 4)) + visible;
  return masked.replace(/(.{4})(?=.)/g, '$1 ');
};

/** Paper form, groups of 4 (`FR76 3000 6000 …`). */
export const formatIban = (iban: string): string => normalizeIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
