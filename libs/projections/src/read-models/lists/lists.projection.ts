import { STATUS_EVENT_TYPES, statusChangeOf, type DossierEvent } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import type { RebuildableProjection } from '../../rebuild-capability';
import { foldProjection, type DossierFold } from '../dossier-fold';
import { loadRows, writeRows } from '../row-batch';

// GET /dossiers: one narrow row per dossier with the columns lists filter and sort on. The
// dénomination sociale is joined from `fournisseurs` at query time (enrolment is not an event).
export const LISTS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS dossier_list (
    numero_asp text PRIMARY KEY,
    siret text NOT NULL,
    numero_ans text NOT NULL,
    couloir text NOT NULL,
    phase text NOT NULL,
    statut text NOT NULL,
    status_changed_at timestamptz NOT NULL,
    date_depot timestamptz NOT NULL,
    montant_cents bigint NOT NULL,
    open_round text,
    reminder_due_at timestamptz,
    reminder_sent boolean NOT NULL DEFAULT false,
    expires_at timestamptz,
    stream_version integer NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS dossier_list_order_idx ON dossier_list (status_changed_at DESC, numero_asp DESC)',
  'CREATE INDEX IF NOT EXISTS dossier_list_siret_idx ON dossier_list (siret)',
  'CREATE INDEX IF NOT EXISTS dossier_list_statut_idx ON dossier_list (statut, couloir)',
  'CREATE INDEX IF NOT EXISTS dossier_list_expires_idx ON dossier_list (expires_at) WHERE open_round IS NOT NULL',
];

export const LISTS_PROJECTION = 'lists';

interface ListRow {
  numero_asp: string;
  siret: string;
  numero_ans: string;
  couloir: string;
  phase: string;
  statut: string;
  status_changed_at: string | Date;
  date_depot: string | Date;
  montant_cents: string | number;
  open_round: string | null;
  reminder_due_at: string | Date | null;
  reminder_sent: boolean;
  expires_at: string | Date | null;
  stream_version: number;
}

const COLUMNS: readonly (keyof ListRow)[] = [
  'numero_asp',
  'siret',
  'numero_ans',
  'couloir',
  'phase',
  'statut',
  'status_changed_at',
  'date_depot',
  'montant_cents',
  'open_round',
  'reminder_due_at',
  'reminder_sent',
  'expires_at',
  'stream_version',
];

/** The row after one event, or null when the event changes nothing (unknown dossier, replayed event). */
const next = (row: ListRow | undefined, numeroAsp: string, recorded: RecordedEvent): ListRow | null => {
  const event = recorded as unknown as DossierEvent;
  if (event.type === 'AvanceImported') {
    if (row) return null;
    const d = event.data;
    return {
      numero_asp: numeroAsp,
      siret: d.siret,
      numero_ans: d.numeroAns,
      couloir: d.couloir,
      phase: 'AVANCE',
      statut: 'EN_COURS',
      status_changed_at: d.importedAt,
      date_depot: d.importedAt,
      montant_cents: d.bonDeCommande.montantCents,
      open_round: null,
      reminder_due_at: null,
      reminder_sent: false,
      expires_at: null,
      stream_version: recorded.streamVersion,
    };
  }
  if (!row || row.stream_version >= recorded.streamVersion) return null;
  const out: ListRow = { ...row, stream_version: recorded.streamVersion };
  const change = statusChangeOf(event, row.open_round);
  if (change) {
    out.statut = change.statut;
    out.status_changed_at = change.at;
    if (change.phase) out.phase = change.phase;
  }
  const closeRound = (): void => {
    out.open_round = null;
    out.reminder_due_at = null;
    out.expires_at = null;
    out.reminder_sent = false;
  };
  switch (event.type) {
    case 'SoldeImported':
      out.date_depot = event.data.importedAt;
      out.montant_cents = event.data.facture.montantCents;
      break;
    case 'ModificationRequested':
      out.open_round = event.data.version;
      out.reminder_due_at = event.data.reminderDueAt;
      out.expires_at = event.data.expiresAt;
      out.reminder_sent = false;
      break;
    case 'ModificationReminderSent':
      if (row.open_round === event.data.version) out.reminder_sent = true;
      break;
    case 'ModificationSubmitted':
    case 'ModificationDeclined':
    case 'ModificationExpired':
      if (row.open_round === event.data.version) closeRound();
      break;
    default:
      break;
  }
  return out;
};

const perDossier: DossierFold<ListRow> = {
  load: async (tx, keys) =>
    new Map((await loadRows<ListRow>(tx, 'dossier_list', keys)).map((r) => [r.numero_asp, r])),
  fold: (row, numeroAsp, events) => {
    let changed = false;
    for (const event of events) {
      const n = next(row, numeroAsp, event);
      if (n === null) continue;
      row = n;
      changed = true;
    }
    return changed ? row : undefined;
  },
  write: (tx, rows, _extra, fresh) => writeRows(tx, 'dossier_list', ['numero_asp'], COLUMNS, rows, fresh),
};

export const createListsProjection = (): RebuildableProjection =>
  foldProjection(perDossier, {
    name: LISTS_PROJECTION,
    migrations: LISTS_MIGRATIONS,
    tables: ['dossier_list'],
    eventTypes: [...STATUS_EVENT_TYPES, 'ModificationReminderSent'],
    metadataKeys: [],
  });
