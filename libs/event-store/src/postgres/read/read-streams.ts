import type { RecordedEvent, StreamToDecide } from '../../event-store.port';
import type { SqlExecutor } from '../../sql-client';
import { READ_STREAM, READ_STREAMS, READ_STREAMS_TO_DECIDE } from '../postgres.sql';
import { runPrepared } from '../prepared-statement';
import type { EventRow, RowMapping } from '../row-mapping';
import type { StoreContext } from '../store-context';

export const readStream = async (
  ctx: StoreContext,
  streamId: string,
  options: { fromVersion?: number },
): Promise<RecordedEvent[]> => {
  const r = await ctx.sql.query<EventRow>(READ_STREAM, [streamId, Math.max(options.fromVersion ?? 1, 1)]);
  return r.rows.map(ctx.mapping.toEvent);
};

/** Each asked stream once, empty until its rows are added: an unknown stream stays empty. */
const noStreams = (streamIds: readonly string[]): Map<string, RecordedEvent[]> =>
  new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));

/** READ_STREAMS' rows (grouped by stream, in version order) added to their streams. */
const addRows = (out: Map<string, RecordedEvent[]>, rows: readonly EventRow[], mapping: RowMapping): void => {
  for (const row of rows) (out.get(row.stream_id) as RecordedEvent[]).push(mapping.toEvent(row));
};

/** Whole streams in one round trip, as a prepared statement on the store's client. */
export const readStreams = async (
  ctx: StoreContext,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> => {
  const out = noStreams(streamIds);
  if (streamIds.length === 0) return out;
  const ids = [...out.keys()];
  addRows(out, await runPrepared<EventRow>(ctx.sql, 'es_read_streams', READ_STREAMS, [ids]), ctx.mapping);
  return out;
};

/**
 * readStreams on the caller's transaction (a plain statement), each stream's version recorded in
 * `known` (the versions that transaction has seen, see appendManyJoined).
 */
export const readStreamsIn = async (
  tx: SqlExecutor,
  mapping: RowMapping,
  streamIds: readonly string[],
  known: Map<string, number>,
): Promise<Map<string, RecordedEvent[]>> => {
  const out = noStreams(streamIds);
  if (streamIds.length === 0) return out;
  const r = await tx.query<EventRow>(READ_STREAMS, [[...out.keys()]]);
  addRows(out, r.rows, mapping);
  for (const [id, events] of out) known.set(id, events.at(-1)?.streamVersion ?? 0);
  return out;
};

/**
 * What a fold needs of each stream (see StreamToDecide), on the caller's transaction, each
 * stream's version recorded in `known`. Without upcasters, only those columns are read.
 */
export const readStreamsToDecideIn = async (
  tx: SqlExecutor,
  mapping: RowMapping,
  streamIds: readonly string[],
  known: Map<string, number>,
): Promise<Map<string, StreamToDecide>> => {
  const out = new Map<string, StreamToDecide>(streamIds.map((id) => [id, { version: 0, events: [] }]));
  if (streamIds.length === 0) return out;
  if (!mapping.upcasters.isEmpty) {
    // An upcaster may look at the whole recorded event: give it one.
    const r = await tx.query<EventRow>(READ_STREAMS, [[...out.keys()]]);
    for (const row of r.rows) {
      const e = mapping.toEvent(row);
      const s = out.get(row.stream_id) as StreamToDecide;
      s.events.push({ type: e.type, data: e.data });
      s.version = e.streamVersion;
    }
  } else {
    const r = await tx.query<{
      stream_id: string;
      stream_version: string;
      event_type: string;
      data: unknown;
    }>(READ_STREAMS_TO_DECIDE, [[...out.keys()]]);
    for (const row of r.rows) {
      const s = out.get(row.stream_id) as StreamToDecide;
      s.events.push({ type: row.event_type, data: row.data });
      s.version = Number(row.stream_version);
    }
  }
  for (const [id, s] of out) known.set(id, s.version);
  return out;
};
