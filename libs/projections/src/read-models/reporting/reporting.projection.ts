import { STATUS_EVENT_TYPES, statusChangeOf, type DossierEvent } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import type { RebuildableProjection } from '../../rebuild-capability';
import { foldProjection, type DossierFold } from '../dossier-fold';
import { copyRows, loadRows, writeRows } from '../row-batch';
import { roundOfVersion } from '../version';

// Back-office reporting: one row per dossier (counts and amounts by statut / couloir / phase) and
// one row per modification round (opened / submitted / declined / expired, time to submit).
// Amounts are integer cents (bigint): sums stay exact.
export const REPORTING_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS report_dossiers (
    numero_asp text PRIMARY KEY,
    couloir text NOT NULL,
    phase text NOT NULL,
    statut text NOT NULL,
    montant_demande_cents bigint NOT NULL,
    avance_payee_cents bigint NOT NULL DEFAULT 0,
    engagement_retenu_cents bigint NOT NULL DEFAULT 0,
    solde_decide_cents bigint NOT NULL DEFAULT 0,
    solde_paye_cents bigint NOT NULL DEFAULT 0,
    recouvrement_cents bigint NOT NULL DEFAULT 0,
    open_round text,
    stream_version integer NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS report_rounds (
    numero_asp text NOT NULL,
    round integer NOT NULL,
    couloir text NOT NULL,
    requested_at timestamptz NOT NULL,
    closed_at timestamptz,
    outcome text NOT NULL,
    submit_ms bigint,
    PRIMARY KEY (numero_asp, round)
  )`,
];

export const REPORTING_PROJECTION = 'reporting';

interface ReportRow {
  numero_asp: string;
  couloir: string;
  phase: string;
  statut: string;
  montant_demande_cents: string | number;
  avance_payee_cents: string | number;
  engagement_retenu_cents: string | number;
  solde_decide_cents: string | number;
  solde_paye_cents: string | number;
  recouvrement_cents: string | number;
  open_round: string | null;
  stream_version: number;
}

const COLUMNS: readonly (keyof ReportRow)[] = [
  'numero_asp',
  'couloir',
  'phase',
  'statut',
  'montant_demande_cents',
  'avance_payee_cents',
  'engagement_retenu_cents',
  'solde_decide_cents',
  'solde_paye_cents',
  'recouvrement_cents',
  'open_round',
  'stream_version',
];

interface OpenedRound {
  numero_asp: string;
  round: number;
  couloir: string;
  requested_at: string;
  outcome: 'open';
}

interface ClosedRound {
  numero_asp: string;
  round: number;
  outcome: string;
  closed_at: string;
}

/** What one event does: the dossier row after it (null: nothing), and the round it opens or closes. */
const next = (
  row: ReportRow | undefined,
  numeroAsp: string,
  recorded: RecordedEvent,
): { row: ReportRow; opened?: OpenedRound; closed?: ClosedRound } | null => {
  const event = recorded as unknown as DossierEvent;
  if (event.type === 'AvanceImported') {
    if (row) return null;
    return {
      row: {
        numero_asp: numeroAsp,
        couloir: event.data.couloir,
        phase: 'AVANCE',
        statut: 'EN_COURS',
        montant_demande_cents: event.data.bonDeCommande.montantCents,
        avance_payee_cents: 0,
        engagement_retenu_cents: 0,
        solde_decide_cents: 0,
        solde_paye_cents: 0,
        recouvrement_cents: 0,
        open_round: null,
        stream_version: recorded.streamVersion,
      },
    };
  }
  if (!row || row.stream_version >= recorded.streamVersion) return null;
  const out: ReportRow = { ...row, stream_version: recorded.streamVersion };
  const change = statusChangeOf(event, row.open_round);
  if (change) {
    out.statut = change.statut;
    if (change.phase) out.phase = change.phase;
  }
  const close = (version: string, outcome: string, at: string): { row: ReportRow; closed?: ClosedRound } => {
    if (row.open_round !== version) return { row: out };
    out.open_round = null;
    return {
      row: out,
      closed: { numero_asp: numeroAsp, round: roundOfVersion(version), outcome, closed_at: at },
    };
  };
  switch (event.type) {
    case 'AvancePaymentRecorded':
      out.avance_payee_cents = event.data.montantCents;
      break;
    case 'SoldeImported':
      out.montant_demande_cents = event.data.facture.montantCents;
      break;
    case 'ModificationRequested':
      out.open_round = event.data.version;
      return {
        row: out,
        opened: {
          numero_asp: numeroAsp,
          round: event.data.round,
          couloir: row.couloir,
          requested_at: event.data.requestedAt,
          outcome: 'open',
        },
      };
    case 'ModificationSubmitted':
      return close(event.data.version, 'submitted', event.data.submittedAt);
    case 'ModificationDeclined':
      return close(event.data.version, 'declined', event.data.declinedAt);
    case 'ModificationExpired':
      return close(event.data.version, 'expired', event.data.expiredAt);
    case 'SoldeValidated':
      out.engagement_retenu_cents = event.data.engagementRetenuCents;
      out.solde_decide_cents = event.data.soldeDecideCents;
      break;
    case 'SoldePaymentRecorded':
      out.solde_paye_cents = event.data.montantCents;
      break;
    case 'RecoveryOrderIssued':
      // bigint comes back as a string; cents stay far below 2^53.
      out.recouvrement_cents = Number(row.recouvrement_cents) + event.data.montantCents;
      break;
    default:
      break;
  }
  return { row: out };
};

// Rounds opened in the batch (or the flush) are inserted before any close is applied (a round is closed at most
// once: its dossier's open_round is cleared then); the time to submit is computed from the stored
// requested_at, as a single-event update would.
const CLOSE_ROUNDS = `UPDATE report_rounds r SET outcome = u.outcome, closed_at = u.closed_at,
    submit_ms = CASE WHEN u.outcome = 'submitted' THEN (extract(epoch FROM (u.closed_at - r.requested_at)) * 1000)::bigint END
  FROM json_populate_recordset(NULL::report_rounds, $1::json) u
  WHERE r.numero_asp = u.numero_asp AND r.round = u.round`;

type RoundWrite = { opened: OpenedRound } | { closed: ClosedRound };

const OPEN_ROUNDS = `INSERT INTO report_rounds (numero_asp, round, couloir, requested_at, outcome)
  SELECT numero_asp, round, couloir, requested_at, outcome FROM json_populate_recordset(NULL::report_rounds, $1::json)
  ON CONFLICT (numero_asp, round) DO NOTHING`;

// Rounds of dossiers with no row yet (see DossierFold's `fresh`) go in as they end up after the
// write: a round opened and closed in it is inserted closed, with the time to submit CLOSE_ROUNDS
// would have computed, instead of an insert then an update (a dead row version each).
const INSERT_ROUNDS = `INSERT INTO report_rounds (numero_asp, round, couloir, requested_at, closed_at, outcome, submit_ms)
  SELECT numero_asp, round, couloir, requested_at, closed_at, outcome,
         CASE WHEN outcome = 'submitted' THEN (extract(epoch FROM (closed_at - requested_at)) * 1000)::bigint END
    FROM json_populate_recordset(NULL::report_rounds, $1::json)`;

interface InsertedRound extends Omit<OpenedRound, 'outcome'> {
  outcome: string;
  closed_at?: string;
}

const ROUND_COLUMNS = ['numero_asp', 'round', 'couloir', 'requested_at', 'closed_at', 'outcome', 'submit_ms'];

/** INSERT_ROUNDS' time to submit, computed here for a COPY (timestamps to the millisecond). */
const withSubmitMs = (r: InsertedRound): InsertedRound & { submit_ms: number | null } => ({
  ...r,
  submit_ms:
    r.outcome === 'submitted' && r.closed_at !== undefined
      ? Date.parse(r.closed_at) - Date.parse(r.requested_at)
      : null,
});

const perDossier: DossierFold<ReportRow, RoundWrite> = {
  load: async (tx, keys) =>
    new Map((await loadRows<ReportRow>(tx, 'report_dossiers', keys)).map((r) => [r.numero_asp, r])),
  fold: (row, numeroAsp, events, rounds) => {
    let changed = false;
    for (const event of events) {
      const n = next(row, numeroAsp, event);
      if (n === null) continue;
      row = n.row;
      changed = true;
      if (n.opened) rounds.push({ opened: n.opened });
      if (n.closed) rounds.push({ closed: n.closed });
    }
    return changed ? row : undefined;
  },
  async write(tx, rows, rounds, fresh) {
    await writeRows(tx, 'report_dossiers', ['numero_asp'], COLUMNS, rows, fresh);
    const opened: OpenedRound[] = [];
    const closed: ClosedRound[] = [];
    const inserted = new Map<string, InsertedRound>();
    for (const r of rounds) {
      if ('opened' in r) {
        const key = `${r.opened.round} ${r.opened.numero_asp}`;
        // The first open of a round wins, as with OPEN_ROUNDS' DO NOTHING.
        if (!fresh.has(r.opened.numero_asp)) opened.push(r.opened);
        else if (!inserted.has(key)) inserted.set(key, { ...r.opened });
        continue;
      }
      // Opens come before their close in `rounds` (a dossier's writes are in event order).
      const round = inserted.get(`${r.closed.round} ${r.closed.numero_asp}`);
      if (round) {
        round.outcome = r.closed.outcome;
        round.closed_at = r.closed.closed_at;
      } else closed.push(r.closed);
    }
    if (
      inserted.size > 0 &&
      !(await copyRows(tx, 'report_rounds', ROUND_COLUMNS, [...inserted.values()].map(withSubmitMs)))
    )
      await tx.query(INSERT_ROUNDS, [JSON.stringify([...inserted.values()])]);
    if (opened.length > 0) await tx.query(OPEN_ROUNDS, [JSON.stringify(opened)]);
    if (closed.length > 0) await tx.query(CLOSE_ROUNDS, [JSON.stringify(closed)]);
  },
};

export const createReportingProjection = (): RebuildableProjection =>
  foldProjection(perDossier, {
    name: REPORTING_PROJECTION,
    migrations: REPORTING_MIGRATIONS,
    tables: ['report_dossiers', 'report_rounds'],
    eventTypes: [...STATUS_EVENT_TYPES, 'RecoveryOrderIssued'],
    metadataKeys: [],
  });
