import type { DossierEvent, FieldChange, PieceRef } from '@segur/domain';
import type { EventActor, RecordedEvent } from '@segur/event-store';
import type { RebuildableProjection } from '../../rebuild-capability';
import { foldProjection, type DossierFold } from '../dossier-fold';
import { loadRows, writeRows } from '../row-batch';
import { roundOfVersion } from '../version';

// Historique: one row per version of the solde. Round 0 is the imported solde (numéro ASP without
// suffix); round n is `M<n>`, whether it ended submitted, declined or expired, or is still open.
// The JSON columns are `json`, not `jsonb`: they are only ever read whole, and json input merely
// checks the text where jsonb parses it into a tree (less PostgreSQL CPU on the many rows a rebuild
// writes). Tables from before keep jsonb until a rebuild.
export const VERSIONS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS dossier_versions (
    numero_asp text NOT NULL,
    round integer NOT NULL,
    siret text NOT NULL,
    outcome text NOT NULL,
    requested_by json NOT NULL,
    requested_at timestamptz NOT NULL,
    commentaire text,
    reminder_due_at timestamptz,
    expires_at timestamptz,
    reminder_sent_at timestamptz,
    closed_by json,
    closed_at timestamptz,
    changes json NOT NULL,
    pieces_added json NOT NULL,
    stream_version integer NOT NULL,
    PRIMARY KEY (numero_asp, round)
  )`,
  'CREATE INDEX IF NOT EXISTS dossier_versions_siret_idx ON dossier_versions (siret)',
];

export type VersionOutcome = 'imported' | 'open' | 'submitted' | 'declined' | 'expired';

/** timestamptz columns: pg and PGlite hand them back as Date, parameters are ISO strings. */
export type Instant = string | Date;

export interface VersionRow {
  numero_asp: string;
  round: number;
  siret: string;
  outcome: VersionOutcome;
  requested_by: EventActor;
  requested_at: Instant;
  commentaire: string | null;
  reminder_due_at: Instant | null;
  expires_at: Instant | null;
  reminder_sent_at: Instant | null;
  closed_by: EventActor | null;
  closed_at: Instant | null;
  changes: FieldChange[];
  pieces_added: PieceRef[];
  stream_version: number;
}

export const VERSIONS_PROJECTION = 'versions';

const TYPES = [
  'SoldeImported',
  'ModificationRequested',
  'ModificationDraftEdited',
  'PieceAdded',
  'PieceRemoved',
  'ModificationSubmitted',
  'ModificationDeclined',
  'ModificationReminderSent',
  'ModificationExpired',
] as const;

/** Folds a draft edit into the round's running diff: the first `from` of a field is its base value. */
export const foldDraftEdit = (changes: FieldChange[], edit: FieldChange): FieldChange[] => {
  const existing = changes.find((c) => c.field === edit.field);
  if (!existing) return edit.from === edit.to ? changes : [...changes, edit];
  if (existing.from === edit.to) return changes.filter((c) => c.field !== edit.field);
  return changes.map((c) => (c.field === edit.field ? { ...c, to: edit.to } : c));
};

const COLUMNS: readonly (keyof VersionRow)[] = [
  'numero_asp',
  'round',
  'siret',
  'outcome',
  'requested_by',
  'requested_at',
  'commentaire',
  'reminder_due_at',
  'expires_at',
  'reminder_sent_at',
  'closed_by',
  'closed_at',
  'changes',
  'pieces_added',
  'stream_version',
];

/** A dossier's version rows by round, as loaded for the batch and folded in memory. */
export type Rounds = Map<number, VersionRow>;

/** Folds one event into the dossier's rounds; returns the row it wrote, or null when nothing changed. */
const next = (rounds: Rounds, numeroAsp: string, recorded: RecordedEvent): VersionRow | null => {
  const event = recorded as unknown as DossierEvent;
  const actor = recorded.metadata.actor;
  if (event.type === 'SoldeImported') {
    if (rounds.has(0)) return null;
    return {
      numero_asp: numeroAsp,
      round: 0,
      siret: event.data.siret,
      outcome: 'imported',
      requested_by: actor,
      requested_at: event.data.importedAt,
      commentaire: null,
      reminder_due_at: null,
      expires_at: null,
      reminder_sent_at: null,
      closed_by: null,
      closed_at: null,
      changes: [],
      pieces_added: event.data.pieces,
      stream_version: recorded.streamVersion,
    };
  }
  if (event.type === 'ModificationRequested') {
    const imported = rounds.get(0);
    if (!imported || rounds.has(event.data.round)) return null;
    return {
      numero_asp: numeroAsp,
      round: event.data.round,
      siret: imported.siret,
      outcome: 'open',
      requested_by: actor,
      requested_at: event.data.requestedAt,
      commentaire: event.data.commentaire,
      reminder_due_at: event.data.reminderDueAt,
      expires_at: event.data.expiresAt,
      reminder_sent_at: null,
      closed_by: null,
      closed_at: null,
      changes: [],
      pieces_added: [],
      stream_version: recorded.streamVersion,
    };
  }
  const version = 'version' in event.data ? event.data.version : null;
  const round = version === null ? NaN : roundOfVersion(version);
  if (!Number.isInteger(round)) return null;
  const row = rounds.get(round);
  // Events of a round that is not open any more change nothing (the decider refused them anyway);
  // the stream-version guard only makes a replay over existing rows harmless.
  if (!row || row.outcome !== 'open' || row.stream_version >= recorded.streamVersion) return null;
  let change: Partial<VersionRow>;
  switch (event.type) {
    case 'ModificationDraftEdited':
      change = {
        changes: foldDraftEdit(row.changes, {
          field: event.data.field,
          from: event.data.from,
          to: event.data.to,
        }),
      };
      break;
    case 'PieceAdded':
      change = { pieces_added: [...row.pieces_added, event.data.piece] };
      break;
    case 'PieceRemoved':
      change = { pieces_added: row.pieces_added.filter((p) => p.pieceId !== event.data.pieceId) };
      break;
    case 'ModificationReminderSent':
      change = { reminder_sent_at: event.data.sentAt };
      break;
    case 'ModificationSubmitted':
      // The event's changes are the truth; the running diff only previewed them.
      change = {
        outcome: 'submitted',
        closed_by: actor,
        closed_at: event.data.submittedAt,
        changes: event.data.changes,
        pieces_added: event.data.piecesAdded,
      };
      break;
    case 'ModificationDeclined':
      // Nothing of a discarded draft became a version: Historique shows an empty change list.
      change = {
        outcome: 'declined',
        closed_by: { id: actor.id, role: event.data.declinedBy },
        closed_at: event.data.declinedAt,
        changes: [],
        pieces_added: [],
      };
      break;
    case 'ModificationExpired':
      change = {
        outcome: 'expired',
        closed_by: actor,
        closed_at: event.data.expiredAt,
        changes: [],
        pieces_added: [],
      };
      break;
    default:
      return null;
  }
  return { ...row, ...change, stream_version: recorded.streamVersion };
};

// The state is the dossier's rounds; the rows written are the touched ones only (`extra`, the last
// version of a row wins). Also what an as-of read folds in memory (as-of/versions-as-of.ts).
export const VERSIONS_FOLD: DossierFold<Rounds, VersionRow> = {
  async load(tx, keys) {
    const byDossier = new Map<string, Rounds>();
    for (const row of await loadRows<VersionRow>(tx, 'dossier_versions', keys)) {
      let rounds = byDossier.get(row.numero_asp);
      if (!rounds) byDossier.set(row.numero_asp, (rounds = new Map<number, VersionRow>()));
      rounds.set(row.round, row);
    }
    return byDossier;
  },
  fold(loaded, numeroAsp, events, touched) {
    const rounds: Rounds = loaded ?? new Map<number, VersionRow>();
    let changed = false;
    for (const event of events) {
      const row = next(rounds, numeroAsp, event);
      if (row === null) continue;
      rounds.set(row.round, row);
      touched.push(row);
      changed = true;
    }
    return changed ? rounds : undefined;
  },
  async write(tx, _rounds, touched, fresh) {
    const rows = new Map(touched.map((r) => [`${r.round} ${r.numero_asp}`, r]));
    await writeRows(tx, 'dossier_versions', ['numero_asp', 'round'], COLUMNS, [...rows.values()], fresh);
  },
};

export const createVersionsProjection = (): RebuildableProjection =>
  foldProjection(VERSIONS_FOLD, {
    name: VERSIONS_PROJECTION,
    migrations: VERSIONS_MIGRATIONS,
    tables: ['dossier_versions'],
    eventTypes: TYPES,
    // Who asked for a round and who closed it.
    metadataKeys: ['actor'],
  });
