import { PHASE_LABELS, STATUT_LABELS, type Phase, type Statut } from '@segur/domain';
import type { SqlExecutor } from '@segur/event-store';

export interface SummaryAmounts {
  nombre: number;
  /** Total HT requested: the solde's invoice once imported, else the avance's bon de commande. */
  montantDemandeCents: number;
  avancePayeeCents: number;
  engagementRetenuCents: number;
  soldeDecideCents: number;
  soldePayeCents: number;
  recouvrementCents: number;
}

export interface SummaryRow extends SummaryAmounts {
  couloir: string;
  phase: Phase;
  phaseLabel: string;
  statut: Statut;
  statutLabel: string;
}

export interface ReportSummary {
  /** One row per (couloir, phase, statut) that has dossiers, sorted. */
  rows: SummaryRow[];
  parStatut: (SummaryAmounts & { statut: Statut; statutLabel: string })[];
  parCouloir: (SummaryAmounts & { couloir: string })[];
  total: SummaryAmounts;
}

const zero = (): SummaryAmounts => ({
  nombre: 0,
  montantDemandeCents: 0,
  avancePayeeCents: 0,
  engagementRetenuCents: 0,
  soldeDecideCents: 0,
  soldePayeCents: 0,
  recouvrementCents: 0,
});

const add = (a: SummaryAmounts, b: SummaryAmounts): SummaryAmounts => ({
  nombre: a.nombre + b.nombre,
  montantDemandeCents: a.montantDemandeCents + b.montantDemandeCents,
  avancePayeeCents: a.avancePayeeCents + b.avancePayeeCents,
  engagementRetenuCents: a.engagementRetenuCents + b.engagementRetenuCents,
  soldeDecideCents: a.soldeDecideCents + b.soldeDecideCents,
  soldePayeCents: a.soldePayeCents + b.soldePayeCents,
  recouvrementCents: a.recouvrementCents + b.recouvrementCents,
});

const amountsOf = (r: SummaryAmounts): SummaryAmounts => ({
  nombre: r.nombre,
  montantDemandeCents: r.montantDemandeCents,
  avancePayeeCents: r.avancePayeeCents,
  engagementRetenuCents: r.engagementRetenuCents,
  soldeDecideCents: r.soldeDecideCents,
  soldePayeCents: r.soldePayeCents,
  recouvrementCents: r.recouvrementCents,
});

type RawSummary = { couloir: string; phase: Phase; statut: Statut } & Record<string, string | number>;

/** GET /reports/summary. Sums are bigint in SQL; amounts stay well inside safe integers (MONTANT_MAX). */
export const reportSummary = async (
  sql: SqlExecutor,
  filters: { couloir?: string } = {},
): Promise<ReportSummary> => {
  const r = await sql.query<RawSummary>(
    `SELECT couloir, phase, statut, count(*) AS nombre,
            sum(montant_demande_cents) AS montant_demande, sum(avance_payee_cents) AS avance_payee,
            sum(engagement_retenu_cents) AS engagement_retenu, sum(solde_decide_cents) AS solde_decide,
            sum(solde_paye_cents) AS solde_paye, sum(recouvrement_cents) AS recouvrement
       FROM report_dossiers
      WHERE ($1::text IS NULL OR couloir = $1)
      GROUP BY couloir, phase, statut
      ORDER BY couloir, phase, statut`,
    [filters.couloir ?? null],
  );
  const rows = r.rows.map((x): SummaryRow => ({
    couloir: x.couloir,
    phase: x.phase,
    phaseLabel: PHASE_LABELS[x.phase],
    statut: x.statut,
    statutLabel: STATUT_LABELS[x.statut],
    nombre: Number(x.nombre),
    montantDemandeCents: Number(x.montant_demande),
    avancePayeeCents: Number(x.avance_payee),
    engagementRetenuCents: Number(x.engagement_retenu),
    soldeDecideCents: Number(x.solde_decide),
    soldePayeCents: Number(x.solde_paye),
    recouvrementCents: Number(x.recouvrement),
  }));
  const byStatut = new Map<Statut, SummaryAmounts>();
  const byCouloir = new Map<string, SummaryAmounts>();
  let total = zero();
  for (const row of rows) {
    byStatut.set(row.statut, add(byStatut.get(row.statut) ?? zero(), amountsOf(row)));
    byCouloir.set(row.couloir, add(byCouloir.get(row.couloir) ?? zero(), amountsOf(row)));
    total = add(total, amountsOf(row));
  }
  const statutOrder = Object.keys(STATUT_LABELS) as Statut[];
  return {
    rows,
    parStatut: statutOrder
      .filter((s) => byStatut.has(s))
      .map((statut) => ({ statut, statutLabel: STATUT_LABELS[statut], ...byStatut.get(statut)! })),
    parCouloir: [...byCouloir.keys()].sort().map((couloir) => ({ couloir, ...byCouloir.get(couloir)! })),
    total,
  };
};

export interface ModificationsStats {
  /** null: every couloir. */
  couloir: string | null;
  opened: number;
  submitted: number;
  declined: number;
  expired: number;
  open: number;
  /** Time from request to "Confirmer", over submitted rounds; null when none. */
  medianSecondsToSubmit: number | null;
  p90SecondsToSubmit: number | null;
}

/** Rounds by the month (Europe/Paris) they were requested in, and what became of them so far. */
export interface RoundsOfMonth {
  /** `2026-11` */
  mois: string;
  opened: number;
  submitted: number;
  declined: number;
  expired: number;
  open: number;
}

export interface ReportModifications {
  parCouloir: ModificationsStats[];
  total: ModificationsStats;
  /** Rounds over time, oldest month first (the reporting page's chart); months without rounds are absent. */
  parMois: RoundsOfMonth[];
}

type RawStats = Record<string, string | number | null> & { couloir: string | null };

// Percentiles are continuous (percentile_cont, linear interpolation between the two nearest
// submitted rounds), rounded to the second: with few rounds they read like "about how long".
export const reportModifications = async (sql: SqlExecutor): Promise<ReportModifications> => {
  const r = await sql.query<RawStats>(
    `SELECT couloir, count(*) AS opened,
            count(*) FILTER (WHERE outcome = 'submitted') AS submitted,
            count(*) FILTER (WHERE outcome = 'declined') AS declined,
            count(*) FILTER (WHERE outcome = 'expired') AS expired,
            count(*) FILTER (WHERE outcome = 'open') AS open,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY submit_ms) FILTER (WHERE outcome = 'submitted') AS median_ms,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY submit_ms) FILTER (WHERE outcome = 'submitted') AS p90_ms,
            grouping(couloir) AS is_total
       FROM report_rounds
      GROUP BY GROUPING SETS ((couloir), ())
      ORDER BY grouping(couloir), couloir`,
  );
  const toStats = (x: RawStats): ModificationsStats => ({
    couloir: Number(x.is_total) === 1 ? null : x.couloir,
    opened: Number(x.opened),
    submitted: Number(x.submitted),
    declined: Number(x.declined),
    expired: Number(x.expired),
    open: Number(x.open),
    medianSecondsToSubmit: x.median_ms === null ? null : Math.round(Number(x.median_ms) / 1000),
    p90SecondsToSubmit: x.p90_ms === null ? null : Math.round(Number(x.p90_ms) / 1000),
  });
  const stats = r.rows.map(toStats);
  const total = stats.find((s) => s.couloir === null) ?? {
    couloir: null,
    opened: 0,
    submitted: 0,
    declined: 0,
    expired: 0,
    open: 0,
    medianSecondsToSubmit: null,
    p90SecondsToSubmit: null,
  };
  const months = await sql.query<Record<string, string | number>>(
    `SELECT to_char(requested_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS mois, count(*) AS opened,
            count(*) FILTER (WHERE outcome = 'submitted') AS submitted,
            count(*) FILTER (WHERE outcome = 'declined') AS declined,
            count(*) FILTER (WHERE outcome = 'expired') AS expired,
            count(*) FILTER (WHERE outcome = 'open') AS open
       FROM report_rounds
      GROUP BY 1
      ORDER BY 1`,
  );
  const parMois = months.rows.map((x): RoundsOfMonth => ({
    mois: String(x.mois),
    opened: Number(x.opened),
    submitted: Number(x.submitted),
    declined: Number(x.declined),
    expired: Number(x.expired),
    open: Number(x.open),
  }));
  return { parCouloir: stats.filter((s) => s.couloir !== null), total, parMois };
};
