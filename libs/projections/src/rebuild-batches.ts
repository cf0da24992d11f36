import { dossierStreamId } from '@segur/domain';
import { comparePositions, STREAM_VERSIONS, type RecordedEvent, type SqlClient } from '@segur/event-store';
import type { Projection } from './projection';
import { groupByDossier } from './read-models/by-dossier';
import { isRebuildable } from './rebuild-capability';

// What rebuildProjections reads: the store's events up to the target, in batches, each grouped by
// dossier once for every session and told which dossiers it finishes.

/** Groups a subscription into batches of `size`, the last one ending at the first event at or past `until`. */
export async function* batchesUntil(
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
export async function* pagesUntil(
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
export const metadataKeysOf = (projections: readonly Projection[]): { metadataKeys?: readonly string[] } =>
  projections.every(isRebuildable)
    ? { metadataKeys: [...new Set(projections.flatMap((p) => p.metadataKeys))] }
    : {};

/** The last stream version of each given stream (missing: unknown); see RebuildAllOptions. */
export type LastVersions = (streamIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;

/** The PostgreSQL store's own table, read in one statement per batch (see STREAM_VERSIONS). */
export const lastVersionsOf =
  (sql: SqlClient): LastVersions =>
  async (streamIds) => {
    const r = await sql.query<{ stream_id: string; version: string | number }>(STREAM_VERSIONS, [streamIds]);
    const out = new Map<string, number>();
    // 0: no such stream, left out as before.
    for (const row of r.rows) if (Number(row.version) > 0) out.set(row.stream_id, Number(row.version));
    return out;
  };

export interface ReplayBatch {
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
export async function* withFinished(
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
