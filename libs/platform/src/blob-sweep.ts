import { PIECE_CARRYING_EVENT_TYPES, pieceRefsOf } from '@segur/domain';
import type { EventStore } from '@segur/event-store';
import type { Clock } from '@segur/kernel';
import type { BlobStore } from './blob-store';

/** Events read per page while collecting the referenced pieces. */
const PAGE = 1_000;

export interface BlobSweepResult {
  /** Blobs older than the grace period. */
  candidates: number;
  /** Of those, the ones no event references, removed. */
  removed: number;
}

/**
 * Removes the stored pieces that no event references: bytes of a request that failed after the
 * store (a version conflict given up, a crash before the append), or of an import whose line was
 * refused. Only blobs untouched for `graceMs` are candidates, so a piece stored for a request still
 * running is never one; the candidates are listed BEFORE the events are read, so an event appended
 * meanwhile references a blob whose `put` renewed its time, which `removeIfOlderThan` sees.
 */
export const sweepUnreferencedBlobs = async (deps: {
  store: EventStore;
  blobs: BlobStore;
  clock: Clock;
  graceMs: number;
}): Promise<BlobSweepResult> => {
  const cutoff = new Date(deps.clock.now().getTime() - deps.graceMs);
  const candidates = await deps.blobs.olderThan(cutoff);
  if (candidates.length === 0) return { candidates: 0, removed: 0 };
  const referenced = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await deps.store.readAll({
      after,
      limit: PAGE,
      filter: { types: [...PIECE_CARRYING_EVENT_TYPES] },
    });
    for (const e of page.events) for (const p of pieceRefsOf(e.data)) referenced.add(p.sha256);
    if (page.events.length < PAGE) break;
    after = page.cursor;
  }
  let removed = 0;
  for (const sha256 of candidates)
    if (!referenced.has(sha256) && (await deps.blobs.removeIfOlderThan(sha256, cutoff))) removed++;
  return { candidates: candidates.length, removed };
};
