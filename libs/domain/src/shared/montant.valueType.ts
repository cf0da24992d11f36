import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { showInput } from './input-display';

/** An amount in euro cents, always an integer: a float never enters the domain. */
export type Montant = number & { readonly __brand: 'Montant' };

/**
 * Highest accepted amount: 100 000 000,00 € (10^10 cents). A single Ségur prestation is worth
 * far less; the ceiling catches typos (cents sent as euros, extra zeros) and keeps every sum of
 * amounts well inside Number.MAX_SAFE_INTEGER.
 */
export const MONTANT_MAX_CENTS = 10_000_000_000;

// Integer part, then at most two decimals. The comma is accepted so a French-formatted amount
// (formatMontant's output) parses back.
const DECIMAL = /^(\d{1,15})(?:[.,](\d{1,2}))?$/;

const invalid = (input: unknown, reason: string, path?: string) =>
  fail(dossierError('MONTANT_INVALIDE', `montant invalide (${showInput(input)}) : ${reason}`, path));

// The decimal text is what the user wrote; converting it digit by digit avoids the binary-float
// error of `x * 100` (1000.10 * 100 = 100009.99999999999).
const toCents = (input: unknown, path?: string): Result<number, DossierError> => {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return invalid(input, 'nombre fini attendu', path);
    if (Math.abs(input) > MONTANT_MAX_CENTS / 100)
      return invalid(input, 'supérieur au plafond de 100000000,00 €', path);
    // Whole euros (most lines of a file): exact in cents without the text round trip, which an
    // import pays twice a line. `+ 0` turns -0 into 0, as the text path does.
    if (Number.isInteger(input)) return ok(input * 100 + 0);
    // String() gives the shortest text that reads back as the same double, i.e. what the JSON
    // carried (1000.00 → "1000", 1000.10 → "1000.1"); an exponent here means a tiny fraction.
    text = String(input);
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    return invalid(input, 'nombre attendu (euros, au plus deux décimales)', path);
  }
  const negative = text.startsWith('-');
  const m = DECIMAL.exec(negative ? text.slice(1) : text);
  if (m === null) {
    if (/^-?\d+[.,]\d{3,}$/.test(text) || /e-/i.test(text))
      return invalid(input, 'au plus deux décimales', path);
    return invalid(input, 'nombre attendu (euros, au plus deux décimales)', path);
  }
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (cents > MONTANT_MAX_CENTS) return invalid(input, 'supérieur au plafond de 100000000,00 €', path);
  return ok(negative ? -cents : cents);
};

/** A strictly positive amount (DOMAIN rule 1: montant > 0, at most two decimals). */
// IMP-6: strictly positive, at most two decimals, at most MONTANT_MAX_CENTS.
export const parseMontant = (input: unknown, path?: string): Result<Montant, DossierError> => {
  const r = toCents(input, path);
  if (!r.ok) return r;
  if (r.value <= 0) return invalid(input, 'doit être strictement positif', path);
  return ok(r.value as Montant);
};

/** A positive or zero amount, for decided amounts (e.g. avance décidé 0,00 in the seeds). */
// VAL-4, PAY-3: decided and paid amounts may be zero in the domain.
export const parseMontantAllowZero = (input: unknown, path?: string): Result<Montant, DossierError> => {
  const r = toCents(input, path);
  if (!r.ok) return r;
  if (r.value < 0) return invalid(input, 'ne peut pas être négatif', path);
  return ok((r.value === 0 ? 0 : r.value) as Montant);
};

export const isValidMontant = (s: string): boolean => parseMontant(s).ok;

/** Cents → French display without thousands separator, as in the portal: 7000000 → `70000,00`. */
export const formatMontant = (cents: number): string => {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`montant en centimes non entier : ${cents}`);
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  return `${cents < 0 ? '-' : ''}${euros},${rest}`;
};

/** Cents → euros as a JSON number for the API (exact: a two-decimal value / 100 reads back the same). */
export const centsToEuros = (cents: number): number => {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`montant en centimes non entier : ${cents}`);
  return cents / 100;
};
