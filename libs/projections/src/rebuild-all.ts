import { comparePositions, type EventStore, type RecordedEvent, type SqlClient } from '@segur/event-store';
import type { Projection } from './projection';
import { prepareShadow, rebuildProjection, shadowSchemaOf, type RebuildResult } from './rebuild';
import { applyBatchInTx, readCheckpoint, setSearchPath } from './runner/checkpoints';
import { readAhead } from './runner/read-ahead';

export interface RebuildAllProgress {
  /** Lowest shadow checkpoint after the last committed batch. */
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
}

interface Shadow {
  projection: Projection;
  searchPath: readonly string[];
  checkpoint: string | null;
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
 * Several projections rebuilt from ONE read of the store: each batch is applied to every shadow in
 * one transaction (each with its own search_path and checkpoint, so each stays resumable), while the
 * next batch is already being read. Reading the store once instead of once per projection is most
 * of a rebuild's cost. Then each projection catches up what was appended meanwhile and swaps, by
 * `rebuildProjection` (which resumes from the shadow this replay left).
 */
export const rebuildProjections = async (
  sql: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  options: RebuildAllOptions = {},
): Promise<RebuildResult[]> => {
  const batchSize = options.batchSize ?? 500;
  const shadows: Shadow[] = [];
  for (const projection of projections) {
    const resumed = await prepareShadow(sql, projection, options.fresh === true);
    const searchPath = [shadowSchemaOf(sql, projection), sql.schema];
    const checkpoint = await sql.transaction(async (tx) => {
      await setSearchPath(tx, searchPath);
      return readCheckpoint(tx, projection.name);
    });
    shadows.push({ projection, searchPath, checkpoint, resumed });
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
    try {
      const subscription = store.subscribeToAll({ from, batchSize, signal: sub.signal });
      for await (const batch of readAhead(batchesUntil(subscription, batchSize, target))) {
        await sql.transaction(async (tx) => {
          for (const s of shadows) {
            // A shadow resumed further than the others skips what it already holds.
            const pending = batch.filter((e) => comparePositions(e.position, s.checkpoint) > 0);
            if (pending.length === 0) continue;
            await setSearchPath(tx, s.searchPath);
            const r = await applyBatchInTx(tx, s.projection, pending, s.checkpoint);
            s.checkpoint = r.position;
          }
        });
        events += batch.length;
        options.onProgress?.({ position: batch.at(-1)!.position, target, events, phase: 'replay' });
        if (options.signal?.aborted) break;
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      sub.abort();
    }
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
