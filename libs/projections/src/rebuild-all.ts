import { dossierStreamId } from '@segur/domain';
import {
  comparePositions,
  PostgresEventStore,
  STREAM_VERSIONS,
  type EventStore,
  type RecordedEvent,
  type SqlClient,
  type SqlExecutor,
} from '@segur/event-store';
import type { Projection } from './projection';
import { isRebuildable, type ReplaySession } from './rebuild-capability';
import { groupByDossier } from './read-models/by-dossier';
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
  /**
   * Time after which every session is flushed with its checkpoint even below `maxHeldDossiers`:
   * what a crash loses at most (an interruption by `signal` flushes anyway). Default 30 s. Each of
   * these checkpoints writes the dossiers still in progress, which are written again when they end:
   * on the 1M-event bench, one every 250,000 events cost PostgreSQL ~0.6 s of CPU for nothing.
   */
  checkpointEveryMs?: number;
  /** As `checkpointEveryMs`, in events (for tests): none by default. */
  checkpointEvery?: number;
  /**
   * The last stream version of each given stream (missing: unknown), used to write a dossier's rows
   * once its last event was folded and forget them. Only a hint: a wrong answer costs a reload,
   * never a wrong row. Default: a query on `es_events` when `store` is the PostgreSQL store (the
   * read models live in its database); none otherwise (rows are written at checkpoints).
   */
  lastVersions?: (streamIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;
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

/** batchesUntil over pages that are batches already (PostgresEventStore.subscribeToAllPages). */
async function* pagesUntil(
  pages: AsyncIterable<RecordedEvent[]>,
  until: string,
): AsyncGenerator<RecordedEvent[]> {
  for await (const page of pages) {
    // Positions grow within a page: only the last one can tell whether `until` is in it.
    if (comparePositions(page.at(-1)!.position, until) < 0) {
      yield page;
      continue;
    }
    yield page.slice(0, page.findIndex((e) => comparePositions(e.position, until) >= 0) + 1);
    return;
  }
}

/** The metadata keys the projections read, when each one declares them (see RebuildCapability). */
const metadataKeysOf = (projections: readonly Projection[]): { metadataKeys?: readonly string[] } =>
  projections.every(isRebuildable)
    ? { metadataKeys: [...new Set(projections.flatMap((p) => p.metadataKeys))] }
    : {};

type LastVersions = NonNullable<RebuildAllOptions['lastVersions']>;

/** The PostgreSQL store's own table, read in one statement per batch (see STREAM_VERSIONS). */
const lastVersionsOf =
  (sql: SqlClient): LastVersions =>
  async (streamIds) => {
    const r = await sql.query<{ stream_id: string; version: string | number }>(STREAM_VERSIONS, [streamIds]);
    const out = new Map<string, number>();
    // 0: no such stream, left out as before.
    for (const row of r.rows) if (Number(row.version) > 0) out.set(row.stream_id, Number(row.version));
    return out;
  };

interface ReplayBatch {
  events: RecordedEvent[];
  /** Its dossier events grouped by numéro ASP (groupByDossier), once for every session. */
  groups: Map<string, RecordedEvent[]>;
  /** Dossiers (numéros ASP) whose last event up to the target is in `events`. */
  finished: string[];
}

/**
 * Groups each batch by dossier and tells which dossiers it finishes (their last event up to the
 * target). Streams are looked up once, when first seen, and forgotten once finished; this stage
 * runs inside the read-ahead, so the lookup overlaps the fold of the previous batch.
 */
async function* withFinished(
  batches: AsyncIterable<RecordedEvent[]>,
  lastVersions: LastVersions | null,
): AsyncGenerator<ReplayBatch> {
  // By numéro ASP: the keys of the batches' groups, whose hashes are computed once.
  const last = new Map<string, number>();
  for await (const events of batches) {
    const groups = groupByDossier(events);
    if (!lastVersions) {
      yield { events, groups, finished: [] };
      continue;
    }
    const unknown: string[] = [];
    for (const k of groups.keys()) if (!last.has(k)) unknown.push(k);
    if (unknown.length > 0) {
      const ids = unknown.map(dossierStreamId);
      const versions = await lastVersions(ids);
      for (let i = 0; i < ids.length; i++) {
        const v = versions.get(ids[i]!);
        if (v !== undefined) last.set(unknown[i]!, v);
      }
    }
    const finished: string[] = [];
    for (const [k, group] of groups)
      if (last.get(k) === group.at(-1)!.streamVersion) {
        finished.push(k);
        last.delete(k);
      }
    yield { events, groups, finished };
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
const pendingFor = (s: Shadow, batch: readonly RecordedEvent[]): readonly RecordedEvent[] =>
  batch.length === 0 || comparePositions(batch[0]!.position, s.applied) > 0
    ? batch // the usual case: the whole batch is ahead (positions only grow within a batch)
    : batch.filter((e) => comparePositions(e.position, s.applied) > 0);

/** One batch into a session, in memory (its checkpoint moves at the next flush). */
const foldIntoSession = async (sql: SqlClient, s: Shadow, batch: ReplayBatch): Promise<void> => {
  const pending = pendingFor(s, batch.events);
  const session = s.session;
  if (pending.length === 0 || !session) return;
  // A shadow resumed further than the others groups what it has not folded yet.
  const groups = pending === batch.events ? batch.groups : groupByDossier(pending);
  await session.apply(shadowReader(sql, s), groups, s.types);
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
  constructor(sql: SqlClient, shadows: readonly Shadow[], scope: 'all' | 'finished') {
    const parts = shadows.flatMap((s) => {
      if (!s.session || s.applied === null) return [];
      if (scope === 'all') {
        if (s.applied === s.checkpoint) return [];
        return [{ s, expected: s.checkpoint, position: s.applied, write: s.session.takeWrites() }];
      }
      if (!s.session.takeFinished || !s.session.finishedPending) return [];
      const { write, complete } = s.session.takeFinished();
      // Rows ahead of the checkpoint unless nothing else is left unwritten (see ReplaySession).
      return [{ s, expected: s.checkpoint, position: complete ? s.applied : null, write }];
    });
    this.done = Promise.all(
      parts.map((p) =>
        sql
          .transaction(async (tx) => {
            await setSearchPath(tx, p.s.searchPath);
            await p.write(tx);
            if (p.position !== null && p.position !== p.expected)
              await advanceCheckpointInTx(tx, p.s.projection.name, p.expected, p.position);
          })
          .then(
            () => {
              if (p.position !== null) this.committed.push({ s: p.s, position: p.position });
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
 * session hold their rows in memory across batches (the shadow tables are the rebuild's alone).
 * A dossier whose last event (up to the target) was folded is written once, in slices, ahead of the
 * checkpoint, then forgotten: memory holds the dossiers still in progress, and rows are written
 * once instead of at every flush. Everything else is written with the checkpoints when the
 * sessions hold more than `maxHeldDossiers`, every `checkpointEveryMs`, at the end, or when
 * interrupted. A flush writes in the background while the replay goes on (one flush at a time, a
 * transaction per shadow). Projections without a session get each batch in a transaction with
 * their checkpoint. Then each projection catches up what was appended meanwhile and swaps, by
 * `rebuildProjection` (which resumes from the shadow this replay left).
 *
 * Memory: at most 1.5 × `maxHeldDossiers` dossiers per session (in progress, or finished and not
 * yet written), two pages of events (read-ahead) and one flush's JSON. On the 1M-event bench
 * (125,000 dossiers, 12,500 in progress at a time) the live heap stays under ~160 MB; the process
 * RSS (810–980 MB in the last runs) is mostly V8's heap headroom between major collections, not
 * held rows.
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
  // One set for every session (see ReplaySessionOptions): on the 1M-event bench, 125,000 dossiers
  // held once instead of once per session.
  const forgotten = new Set<string>();
  for (const projection of projections) {
    const resumed = await prepareShadow(sql, projection, options.fresh === true);
    const searchPath = [shadowSchemaOf(sql, projection), sql.schema];
    const checkpoint = await sql.transaction(async (tx) => {
      await setSearchPath(tx, searchPath);
      return readCheckpoint(tx, projection.name);
    });
    const session = isRebuildable(projection)
      ? (projection.replaySession?.({ empty: !resumed, forgotten }) ?? null)
      : null;
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
    const checkpointEvery = options.checkpointEvery ?? Infinity;
    const checkpointEveryMs = options.checkpointEveryMs ?? 30_000;
    // Finished dossiers are written in slices of this many (per session), between checkpoints.
    const finishedSlice = Math.max(1, Math.min(5_000, Math.floor(maxHeld / 5)));
    const lastVersions =
      options.lastVersions ?? (store instanceof PostgresEventStore ? lastVersionsOf(sql) : null);
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
    const most = (f: (session: ReplaySession) => number): number =>
      Math.max(0, ...shadows.map((s) => (s.session ? f(s.session) : 0)));
    let sinceCheckpoint = 0;
    let lastCheckpointAt = performance.now();
    /** The transaction of the projections without a session, for the last batch. */
    let direct: Promise<void> | null = null;
    try {
      const read = { from, batchSize, signal: sub.signal, ...metadataKeysOf(projections) };
      const batches = withFinished(
        store instanceof PostgresEventStore
          ? pagesUntil(store.subscribeToAllPages(read), target)
          : batchesUntil(store.subscribeToAll(read), batchSize, target),
        lastVersions,
      );
      for await (const replayed of readAhead(batches)) {
        const { events: batch, finished } = replayed;
        if (inflight?.settled) await land(maxHeld / 2);
        // The sessions fold side by side: each one's load of the dossiers it does not hold (a round
        // trip, on its own connection) overlaps the others' instead of adding up.
        await Promise.all(shadows.flatMap((s) => (s.session ? [foldIntoSession(sql, s, replayed)] : [])));
        if (finished.length > 0) for (const s of shadows) s.session?.finish?.(finished);
        if (shadows.some((s) => !s.session)) {
          // Written while the next batch is read and folded (on the 1M-event bench, the deadlines'
          // transactions were ~2 s of the replay's wait), one at a time and in order: each one
          // moves the checkpoints the next one expects.
          await direct;
          direct = sql.transaction(async (tx) => {
            for (const s of shadows) if (!s.session) await applyToShadow(tx, s, batch);
          });
          direct.catch(() => undefined); // seen by the next await of it, never unhandled
        }
        sinceCheckpoint += batch.length;
        // A checkpoint flush starts past `maxHeld` (or `checkpointEveryMs`); while a flush
        // writes, the replay goes on (its rows are trimmed only once it committed) up to half as
        // much again, then waits for it (back-pressure). In between, finished dossiers are written
        // (and then forgotten) in slices.
        if (inflight && most((x) => x.size) > maxHeld * 1.5) await land(maxHeld / 2);
        if (!inflight) {
          if (
            most((x) => x.size) > maxHeld ||
            sinceCheckpoint >= checkpointEvery ||
            performance.now() - lastCheckpointAt >= checkpointEveryMs
          ) {
            inflight = new Flush(sql, shadows, 'all');
            sinceCheckpoint = 0;
            lastCheckpointAt = performance.now();
          } else if (most((x) => x.finishedPending ?? 0) >= finishedSlice)
            inflight = new Flush(sql, shadows, 'finished');
        }
        events += batch.length;
        options.onProgress?.({ position: batch.at(-1)!.position, target, events, phase: 'replay' });
        if (options.signal?.aborted) break;
      }
    } catch (error) {
      // The read or a fold failed: what the sessions hold is not written, writes in flight end first.
      if (inflight) await inflight.done;
      await direct?.catch(() => undefined);
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
      sub.abort();
    }
    // Reached only without an error: what the sessions hold is exactly the events up to `applied`.
    await direct;
    await land(0);
    inflight = new Flush(sql, shadows, 'all');
    await land(0);
  }
  if (options.signal?.aborted)
    return shadows.map((s) => ({
      projection: s.projection.name,
      swapped: false,
      resumed: s.resumed,
      position: s.checkpoint,
      events,
    }));
  options.onProgress?.({
    position: shadows.reduce<string | null>(
      (min, s, i) => (i === 0 || comparePositions(s.checkpoint, min) < 0 ? s.checkpoint : min),
      null,
    ),
    target,
    events,
    phase: 'swap',
    projection: shadows.map((s) => s.projection.name).join(', '),
  });
  // Side by side, each projection on its own connections and tables: their index builds overlap
  // (on the 1M-event bench, ~0.6 s one after the other). Every one ends before a failure is thrown.
  const settled = await Promise.allSettled(
    shadows.map((s) =>
      rebuildProjection(sql, store, s.projection, {
        batchSize,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.maxSwapAttempts ? { maxSwapAttempts: options.maxSwapAttempts } : {}),
      }),
    ),
  );
  return settled.map((r, i) => {
    if (r.status === 'rejected') throw r.reason;
    return { ...r.value, resumed: shadows[i]!.resumed, events: events + r.value.events };
  });
};
