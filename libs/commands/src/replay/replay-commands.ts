import type { DossierDecider } from '@segur/domain';
import type { EventStore, SqlExecutor } from '@segur/event-store';
import {
  countLoggedDecisions,
  nextStreamPage,
  readLoggedCommands,
  type ReplayWindow,
} from './logged-commands.reader';
import { redecideStream, type RedecidedCommand } from './redecide-stream';
import { addToSummary, emptyReplaySummary, type ReplaySummary } from './replay-summary';

export interface ReplayOptions {
  sql: SqlExecutor;
  store: EventStore;
  /** The decider of the configuration under test (never the live one's state: nothing is written). */
  decider: DossierDecider;
  window?: ReplayWindow;
  /** Dossiers per page: their log entries and their streams are what is held in memory at once. */
  pageSize?: number;
  /** After each page: decisions handled so far, and the total the window holds. */
  onProgress?: (done: number, total: number) => void;
  /** Every decision that differs (or could not be decided again), as soon as it is known. */
  onResult?: (r: RedecidedCommand) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * Re-decides every recorded decision of the command log, dossier by dossier, under `decider`,
 * reading the log and the streams a page of dossiers at a time (bounded memory whatever the store's
 * size). Writes nothing: the live configuration, the store and the log are only read.
 */
export const replayCommands = async (o: ReplayOptions): Promise<ReplaySummary> => {
  const window = o.window ?? {};
  const pageSize = o.pageSize ?? 500;
  const total = await countLoggedDecisions(o.sql, window);
  const summary = emptyReplaySummary();
  let done = 0;
  const load = async (after: string | null) => {
    const streams = await nextStreamPage(o.sql, after, pageSize, window);
    if (streams.length === 0) return null;
    const [logged, events] = await Promise.all([
      readLoggedCommands(o.sql, streams, window),
      o.store.readStreams(streams),
    ]);
    return { streams, logged, events };
  };
  o.onProgress?.(0, total);
  // The next page is read while this one is decided (reading is half the time, see
  // docs/performance.md); at most two pages are held.
  let next = load(null);
  for (;;) {
    const page = await next;
    if (page === null) break;
    if (o.signal?.aborted) break;
    next = load(page.streams.at(-1)!);
    for (const streamId of page.streams) {
      const results = redecideStream(
        o.decider,
        streamId,
        page.events.get(streamId) ?? [],
        page.logged.get(streamId) ?? [],
      );
      for (const r of results) {
        addToSummary(summary, r);
        done++;
        if (o.onResult && (r.kind === 'skipped' || r.difference !== null)) await o.onResult(r);
      }
    }
    o.onProgress?.(done, total);
  }
  // An interrupted run still settles the read it started.
  await next.catch(() => null);
  return summary;
};
