import {
  comparePositions,
  type EventStore,
  type RecordedEvent,
  type SqlClient,
  type SqlExecutor,
} from '@segur/event-store';
import type { Projection, ReplaySession } from './projection';
import { prepareShadow, rebuildProjection, shadowSchemaOf, type RebuildResult } from './rebuild';
import { advanceCheckpointInTx, applyBatchInTx, readCheckpoint, setSearchPath } from './runner/checkpoints';
import { readAhead } from './runner/read-ahead';

export interface RebuildAllProgress {
  /** Position of the last event read and applied (in memory for projections with a replay session). */
  position: string | null;
  target: string | null;
  events: number;
  phase: 'replay' | 'swap';
  /** The projection being swapped, in the swap phase. */
  projection?: string;
}

export interface RebuildAllOptions {
  batchSize?: number;
  onProgress?: (p: RebuildAllProgress) => void;
  signal?: AbortSignal;
  fresh?: boolean;
  maxSwapAttempts?: number;
  /**
   * Dossiers a replay session may hold before every session is flushed with its shadow checkpoint
   * (then the coldest half is forgotten): bounds the memory, and what an interruption loses.
   */
  maxHeldDossiers?: number;
}

interface Shadow {
  projection: Projection;
  searchPath: readonly string[];
  /** Committed shadow checkpoint. */
  checkpoint: string | null;
  /** Last event folded: ahead of `checkpoint` while a session holds unflushed rows. */
  applied: string | null;
  session: ReplaySession | null;
  types: ReadonlySet<string> | null;
  resumed: boolean;
}

/** Groups a subscription into batches of `size`, the last one ending at the first event at or past `until`. */
async function* batchesUntil(
  events: AsyncIterable<RecordedEvent>,
  size: number,
  until: string,
): AsyncGenerator<RecordedEvent[]> {
  let batch: RecordedEvent[] = [];
  for await (const event of events) {
    batch.push(event);
    const reached = comparePositions(event.position, until) >= 0;
    if (batch.length >= size || reached) {
      yield batch;
      batch = [];
    }
    if (reached) return;
  }
}

/**
 * Queries in the shadow's schema, each in its own short transaction: a session only loads rows it
 * does not hold yet, so most batches need no round trip at all.
 */
const shadowReader = (sql: SqlClient, s: Shadow): SqlExecutor => ({
  query: (text, params) =>
    sql.transaction(async (tx) => {
      await setSearchPath(tx, s.searchPath);
      return tx.query(text, params);
    }),
});

/** A shadow resumed further than the others skips what it already holds. */
const pendingFor = (s: Shadow, batch: readonly RecordedEvent[]): RecordedEvent[] =>
  batch.filter((e) => comparePositions(e.position, s.applied) > 0);

/** One batch into a session, in memory (its checkpoint moves at the next flush). */
const foldIntoSession = async (sql: SqlClient, s: Shadow, batch: readonly RecordedEvent[]): Promise<void> => {
  const pending = pendingFor(s, batch);
  if (pending.length === 0 || !s.session) return;
  const types = s.types;
  const events = types ? pending.filter((e) => types.has(e.type)) : pending;
  if (events.length > 0) await s.session.apply(shadowReader(sql, s), events);
  s.applied = pending.at(-1)!.position;
};

/** One batch into a projection without a session: applied and checkpointed in `tx`. */
const applyToShadow = async (tx: SqlExecutor, s: Shadow, batch: readonly RecordedEvent[]): Promise<void> => {
  const pending = pendingFor(s, batch);
  if (pending.length === 0) return;
  await setSearchPath(tx, s.searchPath);
  s.checkpoint = s.applied = (await applyBatchInTx(tx, s.projection, pending, s.checkpoint)).position;
};

/**
 * A write of what the sessions held, with their shadow checkpoints, running in the background:
 * `settled` once its transactions ended, `error` set if one rolled back.
 */
class Flush {
  settled = false;
  error: Error | null = null;
  readonly done: Promise<void>;
  private readonly committed: { s: Shadow; position: string }[] = [];

  /**
   * Takes what every session holds (at once, in the constructor) and writes it, one transaction per
   * shadow with its own checkpoint (what a resume starts from), the shadows in parallel on their own
   * connections: the slowest table bounds a flush instead of the sum of them.
   */
  constructor(sql: SqlClient, shadows: readonly Shadow[]) {
    const parts = shadows.flatMap((s) =>
      s.session && s.applied !== null && s.applied !== s.checkpoint
        ? [{ s, expected: s.checkpoint, position: s.applied, write: s.session.takeWrites() }]
        : [],
    );
    this.done = Promise.all(
      parts.map((p) =>
        sql
          .transaction(async (tx) => {
            await setSearchPath(tx, p.s.searchPath);
            await p.write(tx);
            await advanceCheckpointInTx(tx, p.s.projection.name, p.expected, p.position);
          })
          .then(
            () => {
              this.committed.push({ s: p.s, position: p.position });
            },
            (error: unknown) => {
              this.error ??= error instanceof Error ? error : new Error(String(error));
            },
          ),
      ),
    ).then(() => {
      this.settled = true;
    });
  }

  /** The shadows' checkpoints are where this flush committed them; throws if a part rolled back. */
  commit(): void {
    for (const c of this.committed) c.s.checkpoint = c.position;
    if (this.error !== null) throw this.error;
  }
}

/**
 * Several projections rebuilt from ONE read of the store, each into its own shadow (own search_path
 * and checkpoint, so each stays resumable), while the next batch is already being read. Reading the
 * store once instead of once per projection is most of a rebuild's cost. Projections with a replay
 * session hold their rows in memory across batches (the shadow tables are the rebuild's alone) and
 * write them when the sessions hold more than `maxHeldDossiers`, at the end, or when interrupted,
 * always with their checkpoints; such a flush writes in the background while the replay goes on
 * (one flush at a time, a transaction per shadow). Projections without one get each batch in a
 * transaction with their checkpoint. Then each projection catches up what was appended meanwhile
 * and swaps, by `rebuildProjection` (which resumes from the shadow this replay left).
 */
export const rebuildProjections = async (
  sql: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  options: RebuildAllOptions = {},
): Promise<RebuildResult[]> => {
  const batchSize = options.batchSize ?? 500;
  const maxHeld = options.maxHeldDossiers ?? 25_000;
  const shadows: Shadow[] = [];
  for (const projection of projections) {
    const resumed = await prepareShadow(sql, projection, options.fresh === true);
    const searchPath = [shadowSchemaOf(sql, projection), sql.schema];
    const checkpoint = await sql.transaction(async (tx) => {
      await setSearchPath(tx, searchPath);
      return readCheckpoint(tx, projection.name);
    });
    const session = projection.replaySession?.() ?? null;
    const types = projection.eventTypes ? new Set(projection.eventTypes) : null;
    shadows.push({ projection, searchPath, checkpoint, applied: checkpoint, session, types, resumed });
  }
  const target = await store.headPosition();
  const from = shadows.reduce<string | null>(
    (min, s, i) => (i === 0 || comparePositions(s.checkpoint, min) < 0 ? s.checkpoint : min),
    null,
  );
  let events = 0;
  if (target !== null && comparePositions(from, target) < 0) {
    const sub = new AbortController();
    const stop = (): void => sub.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    // At most one flush in flight: it writes while the next batches are read and folded, so the
    // store is read and the shadow tables written at the same time, on two connections.
    let inflight: Flush | null = null;
    /** Waits for the flush in flight (if any); once it committed, moves the checkpoints and trims. */
    const land = async (keep: number): Promise<void> => {
      if (!inflight) return;
      const flush = inflight;
      await flush.done;
      inflight = null;
      flush.commit();
      // Only between two applies: a trim must never drop a row an apply is folding.
      for (const s of shadows) s.session?.trim(keep);
    };
    try {
      const subscription = store.subscribeToAll({ from, batchSize, signal: sub.signal });
      for await (const batch of readAhead(batchesUntil(subscription, batchSize, target))) {
        if (inflight?.settled) await land(maxHeld / 2);
        for (const s of shadows) if (s.session) await foldIntoSession(sql, s, batch);
        if (shadows.some((s) => !s.session))
          await sql.transaction(async (tx) => {
            for (const s of shadows) if (!s.session) await applyToShadow(tx, s, batch);
          });
        const held = Math.max(...shadows.map((s) => s.session?.size ?? 0));
        // A flush starts past `maxHeld`; while it writes, the replay goes on (its rows are trimmed
        // only once it committed) up to half as much again, then waits for it (back-pressure).
        if (inflight && held > maxHeld * 1.5) await land(maxHeld / 2);
        if (!inflight && Math.max(...shadows.map((s) => s.session?.size ?? 0)) > maxHeld)
          inflight = new Flush(sql, shadows);
        events += batch.length;
        options.onProgress?.({ position: batch.at(-1)!.position, target, events, phase: 'replay' });
        if (options.signal?.aborted) break;
      }
    } catch (error) {
      // The read or a fold failed: what the sessions hold is not written, a flush in flight ends first.
      if (inflight) await inflight.done;
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
      sub.abort();
    }
    // Reached only without an error: what the sessions hold is exactly the events up to `applied`.
    await land(0);
    inflight = new Flush(sql, shadows);
    await land(0);
  }
  const results: RebuildResult[] = [];
  for (const s of shadows) {
    if (options.signal?.aborted) {
      results.push({
        projection: s.projection.name,
        swapped: false,
        resumed: s.resumed,
        position: s.checkpoint,
        events,
      });
      continue;
    }
    options.onProgress?.({
      position: s.checkpoint,
      target,
      events,
      phase: 'swap',
      projection: s.projection.name,
    });
    const r = await rebuildProjection(sql, store, s.projection, {
      batchSize,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxSwapAttempts ? { maxSwapAttempts: options.maxSwapAttempts } : {}),
    });
    results.push({ ...r, resumed: s.resumed, events: events + r.events });
  }
  return results;
};
