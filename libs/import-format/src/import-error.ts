import type { DossierErrorCode } from '@segur/domain';

/**
 * Codes an import can report. The domain's codes, plus the ones only the reading of a file can
 * produce (the HTTP layer maps them to 400 / 413; they never reach the decider).
 */
export type ImportErrorCode = DossierErrorCode | 'ENCODAGE_INVALIDE' | 'JSON_INVALIDE' | 'LIMITE_DEPASSEE';

/** One problem, as listed in a problem+json `errors` array and in an import report line. */
export interface ImportError {
  /** JSON path in the file, e.g. `lignesImport[3].facture.montantSegurHTFacture`; '' for the whole file. */
  path: string;
  code: ImportErrorCode;
  message: string;
}

export const importError = (path: string, code: ImportErrorCode, message: string): ImportError => ({
  path,
  code,
  message,
});

/** `lignesImport` + 3 → `lignesImport[3]`, `''` + `siret` → `siret`. */
export const childPath = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
