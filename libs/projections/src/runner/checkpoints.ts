import type { RecordedEvent, SqlClient, SqlExecutor } from '@segur/event-store';
import type { Projection } from '../projection';

// Lives in the read-model database, next to the rows it vouches for: the checkpoint and the rows
// of a batch commit together or not at all (exactly-once read models, even with EventStoreDB).
export const CHECKPOINTS_DDL = `CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name text PRIMARY KEY,
  position text,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/** Another runner (or a rebuild swap) moved the checkpoint under us: re-read it and resume from there. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly projection: string,
    readonly expected: string | null,
    readonly actual: string | null,
  ) {
    super(
      `Le point de reprise de la projection ${projection} a changé (attendu ${expected}, trouvé ${actual})`,
    );
    this.name = 'CheckpointMovedError';
  }
}

export const readCheckpoint = async (sql: SqlExecutor, name: string): Promise<string | null> => {
  const r = await sql.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [name],
  );
  return r.rows[0]?.position ?? null;
};

export const readCheckpoints = async (
  sql: SqlExecutor,
  names: readonly string[],
): Promise<Map<string, string | null>> => {
  const r = await sql.query<{ name: string; position: string | null }>(
    'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])',
    [names],
  );
  const out = new Map<string, string | null>(names.map((n) => [n, null]));
  for (const row of r.rows) out.set(row.name, row.position);
  return out;
};

/** The row must exist before the first batch so that `FOR UPDATE` has something to lock. */
export const ensureCheckpointRow = async (sql: SqlExecutor, name: string): Promise<void> => {
  await sql.query(
    'INSERT INTO projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING',
    [name],
  );
};

export interface CommitBatchOptions {
  /** Schemas to put first on the search_path for this transaction (rebuild into a shadow schema). */
  searchPath?: readonly string[];
  /** Events kept out of the batch (the live runner's quarantine). */
  hold?: HoldEvents;
}

export const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Nom SQL invalide : ${name}`);
  return `"${name}"`;
};

/** Keeps some events out of a batch (the quarantine's `held` ones) and returns those to apply. */
export type HoldEvents = (tx: SqlExecutor, events: readonly RecordedEvent[]) => Promise<RecordedEvent[]>;

/**
 * Inside an open transaction: locks the checkpoint row, checks it still is `expected`, applies the
 * batch and moves the checkpoint to its last event. If two runners ever both believed they own the
 * projection (lost advisory lock, rebuild swap), the second one fails here instead of applying
 * events twice.
 */
export const applyBatchInTx = async (
  tx: SqlExecutor,
  projection: Projection,
  batch: readonly RecordedEvent[],
  expected: string | null,
  hold?: HoldEvents,
): Promise<{ position: string; applied: RecordedEvent[] }> => {
  const last = batch[batch.length - 1];
  if (last === undefined) throw new Error('applyBatchInTx : lot vide');
  const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
  const relevant = types ? batch.filter((e) => types.has(e.type)) : [...batch];
  const cur = await tx.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
    [projection.name],
  );
  const row = cur.rows[0];
  const actual = row?.position ?? null;
  if (row === undefined || actual !== expected)
    throw new CheckpointMovedError(projection.name, expected, actual);
  // After the lock: a quarantine retry holds the same row while it replays a stream.
  const applied = hold ? await hold(tx, relevant) : relevant;
  if (projection.applyBatch) {
    if (applied.length > 0) await projection.applyBatch(tx, applied);
  } else {
    for (const event of applied) await projection.apply(tx, event);
  }
  await tx.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
    projection.name,
    last.position,
  ]);
  return { position: last.position, applied };
};

/** Locks the checkpoint row, checks it still is `expected`, moves it to `position`. */
export const advanceCheckpointInTx = async (
  tx: SqlExecutor,
  name: string,
  expected: string | null,
  position: string,
): Promise<void> => {
  const cur = await tx.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
    [name],
  );
  const row = cur.rows[0];
  if (row === undefined || (row.position ?? null) !== expected)
    throw new CheckpointMovedError(name, expected, row?.position ?? null);
  await tx.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
    name,
    position,
  ]);
};

export const setSearchPath = async (tx: SqlExecutor, schemas: readonly string[]): Promise<void> => {
  await tx.query(
    `SET LOCAL search_path TO ${[...schemas.map(quoteIdent), 'public', 'pg_catalog'].join(', ')}`,
  );
};

/** The batch and the checkpoint in one transaction: exactly-once read models. */
export const commitBatch = (
  sql: SqlClient,
  projection: Projection,
  batch: readonly RecordedEvent[],
  expected: string | null,
  options: CommitBatchOptions = {},
): Promise<{ position: string; applied: RecordedEvent[] }> =>
  sql.transaction(async (tx) => {
    if (options.searchPath) await setSearchPath(tx, options.searchPath);
    return applyBatchInTx(tx, projection, batch, expected, options.hold);
  });
