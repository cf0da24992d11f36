import { numeroAspOfStream, type DossierEvent, type FieldChange, type PieceRef } from '@segur/domain';
import type { EventActor, RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../../projection';

// Historique: one row per version of the solde. Round 0 is the imported solde (numéro ASP without
// suffix); round n is `M<n>`, whether it ended submitted, declined or expired, or is still open.
export const VERSIONS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS dossier_versions (
    numero_asp text NOT NULL,
    round integer NOT NULL,
    siret text NOT NULL,
    outcome text NOT NULL,
    requested_by jsonb NOT NULL,
    requested_at timestamptz NOT NULL,
    commentaire text,
    reminder_due_at timestamptz,
    expires_at timestamptz,
    reminder_sent_at timestamptz,
    closed_by jsonb,
    closed_at timestamptz,
    changes jsonb NOT NULL,
    pieces_added jsonb NOT NULL,
    stream_version integer NOT NULL,
    PRIMARY KEY (numero_asp, round)
  )`,
  'CREATE INDEX IF NOT EXISTS dossier_versions_siret_idx ON dossier_versions (siret)',
];

export type VersionOutcome = 'imported' | 'open' | 'submitted' | 'declined' | 'expired';

/** timestamptz columns: pg and PGlite hand them back as Date, parameters are ISO strings. */
export type Instant = string | Date;
const isoParam = (v: Instant | null): string | null => (v === null ? null : new Date(v).toISOString());

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

const roundOf = (version: string): number => Number(/^M(\d+)$/.exec(version)?.[1] ?? NaN);

/** Folds a draft edit into the round's running diff: the first `from` of a field is its base value. */
export const foldDraftEdit = (changes: FieldChange[], edit: FieldChange): FieldChange[] => {
  const existing = changes.find((c) => c.field === edit.field);
  if (!existing) return edit.from === edit.to ? changes : [...changes, edit];
  if (existing.from === edit.to) return changes.filter((c) => c.field !== edit.field);
  return changes.map((c) => (c.field === edit.field ? { ...c, to: edit.to } : c));
};

export const createVersionsProjection = (): Projection => ({
  name: VERSIONS_PROJECTION,
  migrations: VERSIONS_MIGRATIONS,
  tables: ['dossier_versions'],
  eventTypes: TYPES,
  async apply(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
    if (!recorded.streamId.startsWith('dossier-')) return;
    const numeroAsp = numeroAspOfStream(recorded.streamId);
    const event = recorded as unknown as DossierEvent;
    const actor = recorded.metadata.actor;

    if (event.type === 'SoldeImported') {
      await tx.query(
        `INSERT INTO dossier_versions (numero_asp, round, siret, outcome, requested_by, requested_at, changes, pieces_added, stream_version)
         VALUES ($1, 0, $2, 'imported', $3::jsonb, $4, '[]'::jsonb, $5::jsonb, $6)
         ON CONFLICT (numero_asp, round) DO NOTHING`,
        [
          numeroAsp,
          event.data.siret,
          JSON.stringify(actor),
          event.data.importedAt,
          JSON.stringify(event.data.pieces),
          recorded.streamVersion,
        ],
      );
      return;
    }
    if (event.type === 'ModificationRequested') {
      await tx.query(
        `INSERT INTO dossier_versions (numero_asp, round, siret, outcome, requested_by, requested_at, commentaire,
           reminder_due_at, expires_at, changes, pieces_added, stream_version)
         SELECT $1, $2, siret, 'open', $3::jsonb, $4, $5, $6, $7, '[]'::jsonb, '[]'::jsonb, $8
           FROM dossier_versions WHERE numero_asp = $1 AND round = 0
         ON CONFLICT (numero_asp, round) DO NOTHING`,
        [
          numeroAsp,
          event.data.round,
          JSON.stringify(actor),
          event.data.requestedAt,
          event.data.commentaire,
          event.data.reminderDueAt,
          event.data.expiresAt,
          recorded.streamVersion,
        ],
      );
      return;
    }

    const version = 'version' in event.data ? event.data.version : null;
    const round = version === null ? NaN : roundOf(version);
    if (!Number.isInteger(round)) return;
    const r = await tx.query<VersionRow>(
      'SELECT * FROM dossier_versions WHERE numero_asp = $1 AND round = $2',
      [numeroAsp, round],
    );
    const row = r.rows[0];
    // Events of a round that is not open any more change nothing (the decider refused them anyway);
    // the stream-version guard only makes a replay over existing rows harmless.
    if (!row || row.outcome !== 'open' || row.stream_version >= recorded.streamVersion) return;
    let next: Partial<VersionRow> = {};
    switch (event.type) {
      case 'ModificationDraftEdited':
        next = {
          changes: foldDraftEdit(row.changes, {
            field: event.data.field,
            from: event.data.from,
            to: event.data.to,
          }),
        };
        break;
      case 'PieceAdded':
        next = { pieces_added: [...row.pieces_added, event.data.piece] };
        break;
      case 'PieceRemoved':
        next = { pieces_added: row.pieces_added.filter((p) => p.pieceId !== event.data.pieceId) };
        break;
      case 'ModificationReminderSent':
        next = { reminder_sent_at: event.data.sentAt };
        break;
      case 'ModificationSubmitted':
        // The event's changes are the truth; the running diff only previewed them.
        next = {
          outcome: 'submitted',
          closed_by: actor,
          closed_at: event.data.submittedAt,
          changes: event.data.changes,
          pieces_added: event.data.piecesAdded,
        };
        break;
      case 'ModificationDeclined':
        // Nothing of a discarded draft became a version: Historique shows an empty change list.
        next = {
          outcome: 'declined',
          closed_by: { id: actor.id, role: event.data.declinedBy },
          closed_at: event.data.declinedAt,
          changes: [],
          pieces_added: [],
        };
        break;
      case 'ModificationExpired':
        next = {
          outcome: 'expired',
          closed_by: actor,
          closed_at: event.data.expiredAt,
          changes: [],
          pieces_added: [],
        };
        break;
      default:
        return;
    }
    const merged: VersionRow = { ...row, ...next, stream_version: recorded.streamVersion };
    await tx.query(
      `UPDATE dossier_versions SET outcome = $3, reminder_sent_at = $4, closed_by = $5::jsonb, closed_at = $6,
         changes = $7::jsonb, pieces_added = $8::jsonb, stream_version = $9
       WHERE numero_asp = $1 AND round = $2`,
      [
        numeroAsp,
        round,
        merged.outcome,
        isoParam(merged.reminder_sent_at),
        merged.closed_by === null ? null : JSON.stringify(merged.closed_by),
        isoParam(merged.closed_at),
        JSON.stringify(merged.changes),
        JSON.stringify(merged.pieces_added),
        merged.stream_version,
      ],
    );
  },
});
