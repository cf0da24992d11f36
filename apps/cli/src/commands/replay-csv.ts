import { toCsv, type CsvColumn } from '@segur/projections';
import { DIFFERENCE_LABELS, type DecisionOutcome, type RedecidedCommand } from '@segur/commands';

type Row = Extract<RedecidedCommand, { kind: 'redecided' }>;

/** `accepté : SoldeImported`, `refusé : DATE_CLOTURE_DEPASSEE`, `sans effet`. */
export const outcomeLabel = (o: DecisionOutcome): string =>
  o.kind === 'refused'
    ? `refusé : ${o.code}`
    : o.kind === 'unchanged'
      ? 'sans effet'
      : `accepté : ${o.events.map((e) => e.type).join(', ')}`;

const COLUMNS: readonly CsvColumn<Row>[] = [
  { header: 'numeroAsp', value: (r) => r.numeroAsp },
  { header: 'couloir', value: (r) => r.couloir },
  { header: 'commande', value: (r) => r.entry.type },
  { header: 'idCommande', value: (r) => r.entry.id },
  { header: 'instant', value: (r) => r.entry.at },
  { header: 'ancienneIssue', value: (r) => outcomeLabel(r.before) },
  { header: 'nouvelleIssue', value: (r) => outcomeLabel(r.after) },
  { header: 'ecart', value: (r) => (r.difference === null ? '' : DIFFERENCE_LABELS[r.difference]) },
];

// The CSV of the reports (`;`, CRLF, BOM): written a line at a time, as differences come.
export const REPLAY_CSV_HEADER = toCsv([], COLUMNS);
export const replayCsvLine = (r: Row): string =>
  toCsv([r], COLUMNS, { bom: false }).split('\r\n')[1] + '\r\n';
