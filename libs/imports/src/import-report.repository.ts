import type { SqlExecutor } from '@segur/event-store';
import type { ImportReportView } from './import-report.types';

export interface StoredImport {
  report: ImportReportView;
  siret: string;
  submittedBy: string;
}

export const saveImportReport = async (
  sql: SqlExecutor,
  report: ImportReportView,
  meta: { siret: string; numeroAns: string; submittedBy: string },
): Promise<void> => {
  await sql.query(
    `INSERT INTO imports (import_id, kind, siret, numero_ans, submitted_by, file_sha256, received_at, status, line_count, report)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
    [
      report.importId,
      report.kind,
      meta.siret,
      meta.numeroAns,
      meta.submittedBy,
      report.fileSha256,
      report.receivedAt,
      report.status,
      report.lines.length,
      JSON.stringify(report),
    ],
  );
};

export const findImportReport = async (sql: SqlExecutor, importId: string): Promise<StoredImport | null> => {
  const r = await sql.query<{ report: ImportReportView | string; siret: string; submitted_by: string }>(
    'SELECT report, siret, submitted_by FROM imports WHERE import_id = $1',
    [importId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const report = typeof row.report === 'string' ? (JSON.parse(row.report) as ImportReportView) : row.report;
  return { report, siret: row.siret, submittedBy: row.submitted_by };
};
