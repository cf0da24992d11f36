import { comparePositions, type RecordedEvent, type SqlExecutor } from '@segur/event-store';
import type { EventFailure } from './failure-tracker';

/**
 * One row per event a projection could not apply:
 * - `failing`: the runner is still retrying it (written at each failed attempt, so any API process
 *   can say why a read waits);
 * - `quarantined`: it failed `PROJECTION_MAX_ATTEMPTS` times, the projection went past it;
 * - `held`: a later event of a stream that has a quarantined event, kept out of the projection so
 *   that a retry replays the stream in order (the read models fold per dossier).
 * Lives in the read-model database, so quarantining an event and moving the checkpoint past it are
 * one transaction.
 */
export const QUARANTINE_DDL = [
  `CREATE TABLE IF NOT EXISTS projection_quarantine (
  id bigserial PRIMARY KEY,
  projection text NOT NULL,
  event_id text NOT NULL,
  position text NOT NULL,
  stream_id text NOT NULL,
  stream_version integer NOT NULL,
  event_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('failing', 'quarantined', 'held')),
  blocked_by bigint,
  error text NOT NULL,
  attempts integer NOT NULL,
  first_failure_at timestamptz NOT NULL,
  last_failure_at timestamptz NOT NULL,
  UNIQUE (projection, event_id)
)`,
  `CREATE INDEX IF NOT EXISTS projection_quarantine_stream ON projection_quarantine (projection, stream_id, position)`,
];

export type QuarantineStatus = 'failing' | 'quarantined' | 'held';

export interface QuarantineEntry {
  id: string;
  projection: string;
  eventId: string;
  position: string;
  streamId: string;
  streamVersion: number;
  eventType: string;
  status: QuarantineStatus;
  /** For `held`: the quarantined entry ahead of it on the same stream. */
  blockedBy: string | null;
  error: string;
  attempts: number;
  firstFailureAt: string;
  lastFailureAt: string;
}

interface Row {
  id: string;
  projection: string;
  event_id: string;
  position: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  status: QuarantineStatus;
  blocked_by: string | null;
  error: string;
  attempts: number;
  first_failure_at: Date | string;
  last_failure_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());

const toEntry = (r: Row): QuarantineEntry => ({
  id: String(r.id),
  projection: r.projection,
  eventId: r.event_id,
  position: r.position,
  streamId: r.stream_id,
  streamVersion: Number(r.stream_version),
  eventType: r.event_type,
  status: r.status,
  blockedBy: r.blocked_by === null ? null : String(r.blocked_by),
  error: r.error,
  attempts: Number(r.attempts),
  firstFailureAt: iso(r.first_failure_at),
  lastFailureAt: iso(r.last_failure_at),
});

const COLUMNS = `id, projection, event_id, position, stream_id, stream_version, event_type, status,
  blocked_by, error, attempts, first_failure_at, last_failure_at`;

/** Writes (or updates) the `failing` row of an event after a failed attempt. */
export const recordFailing = async (
  sql: SqlExecutor,
  projection: string,
  event: RecordedEvent,
  failure: EventFailure,
): Promise<void> => {
  await sql.query(
    `INSERT INTO projection_quarantine (projection, event_id, position, stream_id, stream_version, event_type,
       status, error, attempts, first_failure_at, last_failure_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'failing', $7, $8, $9, $10)
     ON CONFLICT (projection, event_id) DO UPDATE
       SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, last_failure_at = EXCLUDED.last_failure_at
       WHERE projection_quarantine.status = 'failing'`,
    [
      projection,
      event.id,
      event.position,
      event.streamId,
      event.streamVersion,
      event.type,
      failure.lastError,
      failure.attempts,
      failure.firstFailureAt.toISOString(),
      failure.lastFailureAt.toISOString(),
    ],
  );
};

/** The event went through after failing: its `failing` row goes. */
export const clearFailing = async (sql: SqlExecutor, projection: string, eventId: string): Promise<void> => {
  await sql.query(
    `DELETE FROM projection_quarantine WHERE projection = $1 AND event_id = $2 AND status = 'failing'`,
    [projection, eventId],
  );
};

/** Inside the transaction that moves the checkpoint past the event. */
export const quarantineInTx = async (
  tx: SqlExecutor,
  projection: string,
  event: RecordedEvent,
  failure: EventFailure,
): Promise<string> => {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO projection_quarantine (projection, event_id, position, stream_id, stream_version, event_type,
       status, error, attempts, first_failure_at, last_failure_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'quarantined', $7, $8, $9, $10)
     ON CONFLICT (projection, event_id) DO UPDATE
       SET status = 'quarantined', error = EXCLUDED.error, attempts = EXCLUDED.attempts,
           last_failure_at = EXCLUDED.last_failure_at
     RETURNING id`,
    [
      projection,
      event.id,
      event.position,
      event.streamId,
      event.streamVersion,
      event.type,
      failure.lastError,
      failure.attempts,
      failure.firstFailureAt.toISOString(),
      failure.lastFailureAt.toISOString(),
    ],
  );
  return String(r.rows[0]!.id);
};

/**
 * Inside a batch's transaction, after the checkpoint lock: the events of streams that have a
 * quarantined event are recorded as `held` behind it, and the others returned to be applied.
 */
export const holdBehindQuarantine = async (
  tx: SqlExecutor,
  projection: string,
  events: readonly RecordedEvent[],
  at: Date,
): Promise<RecordedEvent[]> => {
  if (events.length === 0) return [];
  const r = await tx.query<{ stream_id: string; id: string }>(
    `SELECT stream_id, min(id) AS id FROM projection_quarantine
      WHERE projection = $1 AND status IN ('quarantined', 'held') GROUP BY stream_id`,
    [projection],
  );
  if (r.rows.length === 0) return [...events];
  const blocking = new Map(r.rows.map((row) => [row.stream_id, String(row.id)]));
  const apply: RecordedEvent[] = [];
  for (const event of events) {
    const blockedBy = blocking.get(event.streamId);
    if (blockedBy === undefined) {
      apply.push(event);
      continue;
    }
    await tx.query(
      `INSERT INTO projection_quarantine (projection, event_id, position, stream_id, stream_version, event_type,
         status, blocked_by, error, attempts, first_failure_at, last_failure_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'held', $7, $8, 0, $9, $9)
       ON CONFLICT (projection, event_id) DO NOTHING`,
      [
        projection,
        event.id,
        event.position,
        event.streamId,
        event.streamVersion,
        event.type,
        blockedBy,
        `En attente derrière l’événement en quarantaine n° ${blockedBy} du même flux`,
        at.toISOString(),
      ],
    );
  }
  return apply;
};

export interface QuarantineFilter {
  projection?: string;
  status?: QuarantineStatus;
}

/** Every entry (or one projection's), in the order the events were written. */
export const listQuarantine = async (
  sql: SqlExecutor,
  filter: QuarantineFilter = {},
): Promise<QuarantineEntry[]> => {
  const r = await sql.query<Row>(
    `SELECT ${COLUMNS} FROM projection_quarantine
      WHERE ($1::text IS NULL OR projection = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY projection, position`,
    [filter.projection ?? null, filter.status ?? null],
  );
  return r.rows.map(toEntry);
};

export const quarantineEntry = async (sql: SqlExecutor, id: string): Promise<QuarantineEntry | null> => {
  if (!/^\d{1,18}$/.test(id)) return null;
  const r = await sql.query<Row>(`SELECT ${COLUMNS} FROM projection_quarantine WHERE id = $1`, [id]);
  return r.rows[0] ? toEntry(r.rows[0]) : null;
};

export interface QuarantineCounts {
  failing: number;
  quarantined: number;
  held: number;
}

/** Per projection, for `/ready` and the metrics. */
export const quarantineCounts = async (sql: SqlExecutor): Promise<Map<string, QuarantineCounts>> => {
  const r = await sql.query<{ projection: string; status: QuarantineStatus; n: string }>(
    `SELECT projection, status, count(*) AS n FROM projection_quarantine GROUP BY projection, status`,
  );
  const out = new Map<string, QuarantineCounts>();
  for (const row of r.rows) {
    const c = out.get(row.projection) ?? { failing: 0, quarantined: 0, held: 0 };
    c[row.status] = Number(row.n);
    out.set(row.projection, c);
  }
  return out;
};

/**
 * When a runner takes a projection: `failing` rows at or before its checkpoint are left over from a
 * process that stopped after the event went through, and would otherwise say forever that it blocks.
 */
export const clearPassedFailing = async (
  sql: SqlExecutor,
  projection: string,
  checkpoint: string | null,
): Promise<void> => {
  const r = await sql.query<{ id: string; position: string }>(
    `SELECT id, position FROM projection_quarantine WHERE projection = $1 AND status = 'failing'`,
    [projection],
  );
  const passed = r.rows.filter((row) => comparePositions(row.position, checkpoint) <= 0).map((row) => row.id);
  if (passed.length > 0)
    await sql.query('DELETE FROM projection_quarantine WHERE id = ANY($1::bigint[])', [passed]);
};

/** What keeps these projections from a position, for the reader's 503: failing or quarantined entries. */
export const blockingEntries = async (
  sql: SqlExecutor,
  projections: readonly string[],
  position: string,
): Promise<QuarantineEntry[]> => {
  const r = await sql.query<Row>(
    `SELECT ${COLUMNS} FROM projection_quarantine
      WHERE projection = ANY($1::text[]) AND (status = 'failing' OR position = $2)
      ORDER BY projection, position`,
    [projections, position],
  );
  return r.rows.map(toEntry);
};
