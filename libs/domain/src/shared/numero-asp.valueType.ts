import { type DossierError, type Result, dossierError, fail, ok } from '../dossier/dossier.errors';
import { versionLabel } from '../dossier/dossier.state';
import { showInput } from './input-display';

/**
 * Dossier id given by the avance import: `FIN` + couloir (3 capitals) + 6 digits, e.g. `FINSAS008539`;
 * a confirmed modification round names a version with a suffix `M<n>` (`FINSAS008539M1`).
 */
export type NumeroAsp = string & { readonly __brand: 'NumeroAsp' };

// M0 is refused: the initial version is the number without suffix, so M0 would be a second
// spelling of the same version and break equality of stream ids.
// IMP-3: FIN + couloir + 6 digits, optional version suffix M<n> (n ≥ 1).
const NUMERO_ASP = /^FIN([A-Z]{3})(\d{6})(?:M([1-9]\d{0,5}))?$/;
/** The last sequence number a couloir can give (6 digits). */
export const NUMERO_ASP_SEQUENCE_MAX = 999_999;
const SEQUENCE_MAX = NUMERO_ASP_SEQUENCE_MAX;

export const isValidNumeroAsp = (s: string): boolean => NUMERO_ASP.test(s);

export const parseNumeroAsp = (input: unknown, path?: string): Result<NumeroAsp, DossierError> => {
  if (typeof input === 'string' && NUMERO_ASP.test(input)) return ok(input as NumeroAsp);
  return fail(
    dossierError(
      'NUMERO_ASP_INVALIDE',
      `numéro ASP invalide (${showInput(input)}) : format attendu FIN + code couloir (3 majuscules) + 6 chiffres, ex. FINSAS008539`,
      path,
    ),
  );
};

const partsOf = (n: NumeroAsp): RegExpExecArray => {
  const m = NUMERO_ASP.exec(n);
  // A NumeroAsp only comes out of parseNumeroAsp / formatNumeroAsp, so this is a programming error.
  if (m === null) throw new RangeError(`numéro ASP mal formé : ${n}`);
  return m;
};

/** `FINSAS008539M1` → `SAS`. */
export const numeroAspCouloir = (n: NumeroAsp): string => partsOf(n)[1] as string;

/** The number without version suffix, i.e. the dossier id (`FINSAS008539M1` → `FINSAS008539`). */
export const numeroAspBase = (n: NumeroAsp): NumeroAsp => n.slice(0, 12) as NumeroAsp;

/** Version number: 0 for the initial version (no suffix), n for `M<n>`. */
export const numeroAspVersion = (n: NumeroAsp): number => {
  const v = partsOf(n)[3];
  return v === undefined ? 0 : Number(v);
};

/** Same dossier at version `version` (0 gives the base number). */
export const numeroAspWithVersion = (n: NumeroAsp, version: number): NumeroAsp => {
  if (!Number.isSafeInteger(version) || version < 0 || version > SEQUENCE_MAX) {
    throw new RangeError(`version de numéro ASP invalide : ${version}`);
  }
  const base = numeroAspBase(n);
  return (version === 0 ? base : `${base}${versionLabel(version)}`) as NumeroAsp;
};

/** Number assigned by an avance import: `formatNumeroAsp('SAS', 8539)` → `FINSAS008539`. */
export const formatNumeroAsp = (couloir: string, sequence: number): NumeroAsp => {
  if (!/^[A-Z]{3}$/.test(couloir)) throw new RangeError(`code couloir invalide : ${couloir}`);
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > SEQUENCE_MAX) {
    throw new RangeError(`numéro de séquence hors limites (1 à ${SEQUENCE_MAX}) : ${sequence}`);
  }
  return `FIN${couloir}${String(sequence).padStart(6, '0')}` as NumeroAsp;
};

/** The helpers grouped, for call sites that read better as `NumeroAsp.couloir(n)`. */
export const NumeroAsp = {
  parse: parseNumeroAsp,
  isValid: isValidNumeroAsp,
  couloir: numeroAspCouloir,
  base: numeroAspBase,
  version: numeroAspVersion,
  withVersion: numeroAspWithVersion,
  format: formatNumeroAsp,
} as const;
