import { comparePositions, PostgresEventStore, type EventStore, type SqlClient } from '@segur/event-store';
import type { Projection } from './projection';
import { rebuildProjection, type RebuildResult } from './rebuild';
import {
  batchesUntil,
  lastVersionsOf,
  metadataKeysOf,
  pagesUntil,
  withFinished,
  type LastVersions,
} from './rebuild-batches';
import type { ReplaySession } from './rebuild-capability';
import {
  applyToShadow,
  earliestCheckpoint,
  Flush,
  foldIntoSession,
  openShadow,
  type Shadow,
} from './rebuild-shadows';
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
   * frequent ones cost PostgreSQL CPU for nothing, hence a time rather than a count of events.
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
  lastVersions?: LastVersions;
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
 * yet written), two pages of events (read-ahead) and one flush's JSON. The process RSS is mostly
 * V8's heap headroom between major collections, not held rows (see docs/performance.md, "Figures
 * behind design choices").
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
  // One set for every session (see ReplaySessionOptions): the forgotten dossiers are held once
  // instead of once per session.
  const forgotten = new Set<string>();
  for (const projection of projections)
    shadows.push(await openShadow(sql, projection, options.fresh === true, forgotten));
  const target = await store.headPosition();
  const from = earliestCheckpoint(shadows);
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
          // Written while the next batch is read and folded (the deadlines' transactions were a
          // good part of the replay's wait), one at a time and in order: each one moves the
          // checkpoints the next one expects.
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
    position: earliestCheckpoint(shadows),
    target,
    events,
    phase: 'swap',
    projection: shadows.map((s) => s.projection.name).join(', '),
  });
  // Side by side, each projection on its own connections and tables: their index builds overlap
  // instead of adding up. Every one ends before a failure is thrown.
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
