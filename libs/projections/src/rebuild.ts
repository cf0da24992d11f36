import {
  comparePositions,
  type EventStore,
  type RecordedEvent,
  type SqlClient,
  type SqlExecutor,
} from '@segur/event-store';
import type { Projection } from './projection';
import {
  CHECKPOINTS_DDL,
  commitBatch,
  ensureCheckpointRow,
  quoteIdent,
  readCheckpoint,
  setSearchPath,
} from './runner/checkpoints';

export interface RebuildProgress {
  projection: string;
  /** Shadow checkpoint after the last committed batch. */
  position: string | null;
  /** The position this pass replays up to. */
  target: string | null;
  /** Events read in this call (a resumed rebuild does not count what an earlier call did). */
  events: number;
  phase: 'replay' | 'swap';
}

export interface RebuildOptions {
  batchSize?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** Interrupts between batches; the shadow schema keeps its progress for the next call. */
  signal?: AbortSignal;
  /** Drop a shadow schema left by an earlier call (e.g. built by older code) instead of resuming it. */
  fresh?: boolean;
  /** Catch-up passes tried before giving up when the live runner keeps moving ahead. */
  maxSwapAttempts?: number;
}

export interface RebuildResult {
  projection: string;
  /** false when interrupted by `signal` (call again to resume). */
  swapped: boolean;
  /** Whether a shadow checkpoint from an earlier, interrupted call was found. */
  resumed: boolean;
  position: string | null;
  events: number;
}

/** `<live schema>_rb_<projection>`, at most 63 characters (PostgreSQL identifiers). */
export const shadowSchemaOf = (sql: SqlClient, projection: Projection): string =>
  `${sql.schema}_rb_${projection.name.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);

const tableExists = async (sql: SqlExecutor, schema: string, table: string): Promise<boolean> => {
  const r = await sql.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
    `${quoteIdent(schema)}.${quoteIdent(table)}`,
  ]);
  return r.rows[0]?.ok === true;
};

// Secondary indexes are built once, after the replay, instead of maintained row by row during it
// (unique ones stay: ON CONFLICT may rely on them).
const isSecondaryIndex = (ddl: string): boolean => /^\s*CREATE\s+INDEX\b/i.test(ddl);

/** Creates the shadow's secondary indexes (idempotent DDL): before a swap. */
const indexShadow = (sql: SqlClient, projection: Projection, searchPath: readonly string[]): Promise<void> =>
  sql.transaction(async (tx) => {
    await setSearchPath(tx, searchPath);
    for (const ddl of projection.migrations) if (isSecondaryIndex(ddl)) await tx.query(ddl);
  });

/**
 * Creates (or, with `fresh`, recreates) the shadow schema, without secondary indexes; true when an
 * earlier call left one.
 */
export const prepareShadow = async (
  sql: SqlClient,
  projection: Projection,
  fresh: boolean,
): Promise<boolean> => {
  const shadow = shadowSchemaOf(sql, projection);
  if (fresh) await sql.query(`DROP SCHEMA IF EXISTS ${quoteIdent(shadow)} CASCADE`);
  await sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(shadow)}`);
  const resumed = await tableExists(sql, shadow, 'projection_checkpoints');
  await sql.transaction(async (tx) => {
    await setSearchPath(tx, [shadow, sql.schema]);
    await tx.query(CHECKPOINTS_DDL);
    for (const ddl of projection.migrations) if (!isSecondaryIndex(ddl)) await tx.query(ddl);
    await ensureCheckpointRow(tx, projection.name);
  });
  return resumed;
};

/**
 * Replays `until` (or the head) from `from` into the shadow schema, a batch per transaction, each
 * with the shadow checkpoint: an interrupted replay resumes where it stopped.
 */
const replay = async (
  sql: SqlClient,
  store: EventStore,
  projection: Projection,
  searchPath: readonly string[],
  from: string | null,
  until: string,
  opts: { batchSize: number; signal?: AbortSignal; onBatch: (position: string, n: number) => void },
): Promise<string | null> => {
  let checkpoint = from;
  if (comparePositions(checkpoint, until) >= 0) return checkpoint;
  const sub = new AbortController();
  const stop = (): void => sub.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  let batch: RecordedEvent[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await commitBatch(sql, projection, batch, checkpoint, { searchPath });
    checkpoint = r.position;
    opts.onBatch(checkpoint, batch.length);
    batch = [];
  };
  try {
    for await (const event of store.subscribeToAll({ from, batchSize: opts.batchSize, signal: sub.signal })) {
      batch.push(event);
      const reached = comparePositions(event.position, until) >= 0;
      if (batch.length >= opts.batchSize || reached) await flush();
      if (reached || opts.signal?.aborted) break;
    }
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    sub.abort();
  }
  return checkpoint;
};

/**
 * Rebuilds a projection from zero while the live tables keep serving.
 *
 * 1. A shadow schema gets the projection's tables and its own `projection_checkpoints`; the same
 *    projection code writes there because the shadow schema comes first on the search_path.
 * 2. Every event is replayed into it, batched, checkpointed: safe to interrupt and call again.
 * 3. Swap, in one transaction: lock the live checkpoint row (the live runner cannot commit), lock
 *    the live tables, check the shadow is not behind the live checkpoint, drop the live tables,
 *    move the shadow tables in, copy the checkpoint. Readers wait only for this transaction.
 *
 * Unlike a catch-up inside the swap transaction, the catch-up runs before it, up to the live
 * checkpoint: the transaction then never reads the store while holding table locks (PGlite is a
 * single session, the store may share it). If the live runner moved ahead meanwhile, the swap rolls
 * back and catches up again. Tables left with the shadow behind the live one would make a reader
 * that waited for a position (X-Min-Position) see older data, so a swap never goes backwards.
 */
export const rebuildProjection = async (
  sql: SqlClient,
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> => {
  const batchSize = options.batchSize ?? 500;
  const live = sql.schema;
  const shadow = shadowSchemaOf(sql, projection);
  const searchPath = [shadow, live];
  let events = 0;
  const progress = (position: string | null, target: string | null, phase: RebuildProgress['phase']): void =>
    options.onProgress?.({ projection: projection.name, position, target, events, phase });

  const resumed = await prepareShadow(sql, projection, options.fresh === true);
  const readShadow = (): Promise<string | null> =>
    sql.transaction(async (tx) => {
      await setSearchPath(tx, searchPath);
      return readCheckpoint(tx, projection.name);
    });

  let position = await readShadow();
  const attempts = options.maxSwapAttempts ?? 50;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const head = await store.headPosition();
    const liveCheckpoint = await readCheckpoint(sql, projection.name).catch(() => null);
    // Up to the head first; on later passes the live checkpoint is what must be reached.
    const target = comparePositions(head, liveCheckpoint) >= 0 ? head : liveCheckpoint;
    if (target !== null) {
      position = await replay(sql, store, projection, searchPath, position, target, {
        batchSize,
        signal: options.signal,
        onBatch: (p, n) => {
          events += n;
          progress(p, target, 'replay');
        },
      });
    }
    if (options.signal?.aborted)
      return { projection: projection.name, swapped: false, resumed, position, events };

    progress(position, target, 'swap');
    await indexShadow(sql, projection, searchPath);
    const swapped = await sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO ${quoteIdent(live)}.projection_checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING`,
        [projection.name],
      );
      const r = await tx.query<{ position: string | null }>(
        `SELECT position FROM ${quoteIdent(live)}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
        [projection.name],
      );
      if (comparePositions(position, r.rows[0]?.position ?? null) < 0) return false;
      for (const table of projection.tables) {
        const liveTable = `${quoteIdent(live)}.${quoteIdent(table)}`;
        if (await tableExists(tx, live, table)) {
          await tx.query(`LOCK TABLE ${liveTable} IN ACCESS EXCLUSIVE MODE`);
          await tx.query(`DROP TABLE ${liveTable}`);
        }
        await tx.query(
          `ALTER TABLE ${quoteIdent(shadow)}.${quoteIdent(table)} SET SCHEMA ${quoteIdent(live)}`,
        );
      }
      await tx.query(
        `UPDATE ${quoteIdent(live)}.projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1`,
        [projection.name, position],
      );
      // The replay applied every event up to `position`, quarantined and held ones included (it
      // would have stopped on one still failing): their rows, all behind the live checkpoint, are
      // void, and a retry would apply them a second time.
      if (await tableExists(tx, live, 'projection_quarantine'))
        await tx.query(
          `DELETE FROM ${quoteIdent(live)}.projection_quarantine WHERE projection = $1 AND status IN ('quarantined', 'held')`,
          [projection.name],
        );
      await tx.query(`DROP SCHEMA ${quoteIdent(shadow)} CASCADE`);
      return true;
    });
    if (swapped) return { projection: projection.name, swapped: true, resumed, position, events };
  }
  throw new Error(
    `Reconstruction de ${projection.name} : la projection en service avance plus vite que le rattrapage (${attempts} essais)`,
  );
};
