import type { ImportKind, ImportLineOutcome, ImportStatus } from '@segur/import-format';

/**
 * A line error of the report. Same shape as `@segur/import`'s ImportError, with `code` widened:
 * the application adds codes only it can find (PIECE_FICHIER_MANQUANT, NUMEROTATION_EPUISEE…).
 */
export interface ReportLineError {
  path: string;
  code: string;
  message: string;
}

export interface ReportLine {
  numLigne: number | null;
  numeroASP: string | null;
  result: ImportLineOutcome;
  errors: ReportLineError[];
}

/** The "JSON de sortie" of docs/api.md, stored and served again by GET /imports/{importId}. */
export interface ImportReportView {
  importId: string;
  kind: ImportKind;
  fileSha256: string;
  receivedAt: string;
  status: ImportStatus;
  lines: ReportLine[];
}
