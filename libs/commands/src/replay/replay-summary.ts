import { DIFFERENCE_LABELS, type DifferenceKind, type RedecidedCommand } from './redecide-stream';

export interface ReplayCounts {
  redecided: number;
  differing: number;
}

/** What a replay found: totals, and counts by couloir, by command type and by kind of difference. */
export interface ReplaySummary extends ReplayCounts {
  /** Recorded decisions that could not be decided again, by reason. */
  skipped: Record<string, number>;
  byCouloir: Record<string, ReplayCounts>;
  byType: Record<string, ReplayCounts>;
  byDifference: Partial<Record<DifferenceKind, number>>;
}

export const emptyReplaySummary = (): ReplaySummary => ({
  redecided: 0,
  differing: 0,
  skipped: {},
  byCouloir: {},
  byType: {},
  byDifference: {},
});

const bump = (counts: Record<string, ReplayCounts>, key: string, differs: boolean): void => {
  const c = (counts[key] ??= { redecided: 0, differing: 0 });
  c.redecided++;
  if (differs) c.differing++;
};

export const addToSummary = (summary: ReplaySummary, r: RedecidedCommand): void => {
  if (r.kind === 'skipped') {
    summary.skipped[r.reason] = (summary.skipped[r.reason] ?? 0) + 1;
    return;
  }
  const differs = r.difference !== null;
  summary.redecided++;
  if (differs) summary.differing++;
  bump(summary.byCouloir, r.couloir, differs);
  bump(summary.byType, r.entry.type, differs);
  if (r.difference !== null)
    summary.byDifference[r.difference] = (summary.byDifference[r.difference] ?? 0) + 1;
};

const table = (title: string, counts: Record<string, ReplayCounts>): string[] => [
  title,
  ...Object.keys(counts)
    .sort()
    .map((k) => {
      const c = counts[k]!;
      return `  ${k.padEnd(26)} ${String(c.redecided).padStart(9)} redécidées  ${String(c.differing).padStart(7)} différentes`;
    }),
];

/** The report printed on stdout, in French. */
export const formatReplaySummary = (s: ReplaySummary): string => {
  const lines = [
    `Décisions redécidées : ${s.redecided}, différentes : ${s.differing}`,
    ...Object.entries(s.skipped).map(([reason, n]) => `Non redécidables (${reason}) : ${n}`),
    ...Object.entries(s.byDifference).map(([k, n]) => `  ${DIFFERENCE_LABELS[k as DifferenceKind]} : ${n}`),
    ...table('Par couloir :', s.byCouloir),
    ...table('Par type de commande :', s.byType),
  ];
  return `${lines.join('\n')}\n`;
};
