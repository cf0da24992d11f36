import { formatMontant } from '@segur/domain';
import type { ModificationsStats, ReportModifications, ReportSummary } from './reporting.query';

// CSV for French spreadsheets (Excel fr-FR, LibreOffice): `;` separates fields because `,` is the
// decimal separator; euros are written with a decimal comma and no thousands separator
// (`70000,00`, as the portal shows them); lines end with CRLF (RFC 4180); a field holding `;`, `"`,
// CR or LF is quoted with `"` doubled. The text starts with a UTF-8 BOM (option `bom`, default
// true) so Excel reads accents right.

export type CsvCellType = 'text' | 'integer' | 'euros';

export interface CsvColumn<R> {
  header: string;
  value: (row: R) => string | number | null;
  /** `euros`: the value is integer cents, written `70000,00`. */
  type?: CsvCellType;
}

const quote = (s: string): string => (/[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const cell = (v: string | number | null, type: CsvCellType): string => {
  if (v === null) return '';
  if (type === 'euros') return formatMontant(Number(v));
  return quote(String(v));
};

export const toCsv = <R>(
  rows: readonly R[],
  columns: readonly CsvColumn<R>[],
  options: { bom?: boolean } = {},
): string => {
  const lines = [columns.map((c) => quote(c.header)).join(';')];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row), c.type ?? 'text')).join(';'));
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
};

/** GET /reports/summary with `Accept: text/csv`: one line per couloir × phase × statut. */
export const summaryToCsv = (summary: ReportSummary, options: { bom?: boolean } = {}): string =>
  toCsv(
    summary.rows,
    [
      { header: 'Couloir', value: (r) => r.couloir },
      { header: 'Phase', value: (r) => r.phaseLabel },
      { header: 'Statut', value: (r) => r.statutLabel },
      { header: 'Nombre de dossiers', value: (r) => r.nombre, type: 'integer' },
      { header: 'Montant demandé (€)', value: (r) => r.montantDemandeCents, type: 'euros' },
      { header: 'Avance payée (€)', value: (r) => r.avancePayeeCents, type: 'euros' },
      { header: 'Engagement retenu (€)', value: (r) => r.engagementRetenuCents, type: 'euros' },
      { header: 'Solde décidé (€)', value: (r) => r.soldeDecideCents, type: 'euros' },
      { header: 'Solde payé (€)', value: (r) => r.soldePayeCents, type: 'euros' },
      { header: 'Ordres de recouvrement (€)', value: (r) => r.recouvrementCents, type: 'euros' },
    ],
    options,
  );

/** GET /reports/modifications with `Accept: text/csv`: one line per couloir, then "Tous". */
export const modificationsToCsv = (report: ReportModifications, options: { bom?: boolean } = {}): string =>
  toCsv<ModificationsStats>(
    [...report.parCouloir, report.total],
    [
      { header: 'Couloir', value: (r) => r.couloir ?? 'Tous' },
      { header: 'Demandes de modification', value: (r) => r.opened },
      { header: 'Confirmées', value: (r) => r.submitted },
      { header: 'Non modifiées', value: (r) => r.declined },
      { header: 'Expirées', value: (r) => r.expired },
      { header: 'En cours', value: (r) => r.open },
      { header: 'Délai médian de confirmation (s)', value: (r) => r.medianSecondsToSubmit },
      { header: 'Délai p90 de confirmation (s)', value: (r) => r.p90SecondsToSubmit },
    ],
    options,
  );
