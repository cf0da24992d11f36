import type { ImportError } from './import-error';

export type ImportKind = 'avance' | 'solde';

/**
 * - `applied`: the line's event was appended.
 * - `unchanged`: the same content was already applied (same contentHash); nothing appended.
 * - `rejected`: refused (format or business rule); nothing appended; `errors` say why.
 * - `autoRejected`: the solde was recorded and then rejected by rule 6 (bénéficiaire absent de
 *   l'avance); events were appended, the dossier carries the rejection.
 */
export type ImportLineOutcome = 'applied' | 'unchanged' | 'rejected' | 'autoRejected';

export type ImportStatus = 'accepted' | 'partial' | 'rejected' | 'duplicate';

export interface ImportReportLine {
  /** Null when the line's own numLigne was missing or invalid. */
  numLigne: number | null;
  /** Assigned (avance) or quoted (solde) numéro ASP; null when there is none. */
  numeroASP: string | null;
  result: ImportLineOutcome;
  errors: ImportError[];
}

/** The "JSON de sortie" of an import (docs/api.md), also served again by GET /imports/{importId}. */
export interface ImportReport {
  importId: string;
  kind: ImportKind;
  fileSha256: string;
  /** ISO-8601 UTC instant. */
  receivedAt: string;
  status: ImportStatus;
  lines: ImportReportLine[];
}

/**
 * Status of a whole file from its lines, in this order:
 * 1. every line `unchanged` → `duplicate` (the file was already imported);
 * 2. every line `applied`, `unchanged` or `autoRejected` → `accepted`: an auto-rejected solde is
 *    a file the portal took in (its facts were recorded), the rejection is the dossier's business,
 *    not a refusal of the file;
 * 3. nothing recorded by this import, i.e. no line `applied` nor `autoRejected` → `rejected`
 *    (so a file may be sent again once fixed);
 * 4. otherwise `partial`.
 * An empty list is `rejected` (the header validation refuses empty files before this is reached).
 */
export const summarizeStatus = (lines: ReadonlyArray<Pick<ImportReportLine, 'result'>>): ImportStatus => {
  if (lines.length === 0) return 'rejected';
  if (lines.every((l) => l.result === 'unchanged')) return 'duplicate';
  if (lines.every((l) => l.result !== 'rejected')) return 'accepted';
  if (lines.every((l) => l.result === 'rejected' || l.result === 'unchanged')) return 'rejected';
  return 'partial';
};
