import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { showInput } from './input-display';

/** A calendar date `yyyy-MM-dd`, how the domain stores dates read as `dd/MM/yyyy` in the files. */
export type DateIso = string & { readonly __brand: 'DateIso' };

// Bounds keep typos such as 15/05/0222 out while leaving room for any real invoice or order date.
const YEAR_MIN = 1900;
const YEAR_MAX = 2199;

const DATE_FR = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number =>
  m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
const exists = (y: number, m: number, d: number): boolean =>
  y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);

export const isValidDateFr = (s: string): boolean => {
  const m = DATE_FR.exec(s);
  return m !== null && exists(Number(m[3]), Number(m[2]), Number(m[1]));
};

/** `15/05/2022` → `2022-05-15`; a date that does not exist on the calendar (31/02) is refused. */
// IMP-5: dd/MM/yyyy, a day that exists, years YEAR_MIN to YEAR_MAX.
export const parseDateFr = (input: unknown, path?: string): Result<DateIso, DossierError> => {
  const m = typeof input === 'string' ? DATE_FR.exec(input) : null;
  if (m === null) {
    return fail(
      dossierError('DATE_INVALIDE', `date invalide (${showInput(input)}) : format attendu jj/mm/aaaa`, path),
    );
  }
  const [, dd, mm, yyyy] = m as unknown as [string, string, string, string];
  if (!exists(Number(yyyy), Number(mm), Number(dd))) {
    return fail(
      dossierError('DATE_INVALIDE', `date invalide (${showInput(input)}) : cette date n'existe pas`, path),
    );
  }
  return ok(`${yyyy}-${mm}-${dd}` as DateIso);
};

export const isValidDateIso = (s: string): boolean => {
  const m = DATE_ISO.exec(s);
  return m !== null && exists(Number(m[1]), Number(m[2]), Number(m[3]));
};

/** `2022-05-15` → `15/05/2022`, for messages and pages. */
export const formatDateFr = (iso: string): string => {
  const m = DATE_ISO.exec(iso);
  if (m === null || !isValidDateIso(iso)) throw new RangeError(`date ISO invalide : ${iso}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
};
