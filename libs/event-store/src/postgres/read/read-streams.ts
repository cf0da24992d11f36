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
const addRows = (
  out: Map<string, RecordedEvent[]>,
  rows: readonly EventRow[],
  mapping: RowMapping,
): Map<string, RecordedEvent[]> => {
  for (const row of rows) (out.get(row.stream_id) as RecordedEvent[]).push(mapping.toEvent(row));
  return out;
};

/** Whole streams in one round trip, as a prepared statement on the store's client. */
export const readStreams = async (
  ctx: StoreContext,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> => {
  const out = noStreams(streamIds);
  if (streamIds.length === 0) return out;
  const ids = [...out.keys()];
  return addRows(
    out,
    await runPrepared<EventRow>(ctx.sql, 'es_read_streams', READ_STREAMS, [ids]),
    ctx.mapping,
  );
};

/** readStreams on an executor of the caller's (a joined transaction): a plain statement. */
export const readStreamsOn = async (
  on: SqlExecutor,
  mapping: RowMapping,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> => {
  const out = noStreams(streamIds);
  if (streamIds.length === 0) return out;
  const r = await on.query<EventRow>(READ_STREAMS, [[...out.keys()]]);
  return addRows(out, r.rows, mapping);
};

/** What a fold needs of each stream (see StreamToDecide): without upcasters, only those columns. */
export const readStreamsToDecide = async (
  on: SqlExecutor,
  mapping: RowMapping,
  streamIds: readonly string[],
): Promise<Map<string, StreamToDecide>> => {
  const out = new Map<string, StreamToDecide>(streamIds.map((id) => [id, { version: 0, events: [] }]));
  if (streamIds.length === 0) return out;
  if (!mapping.upcasters.isEmpty) {
    // An upcaster may look at the whole recorded event: give it one.
    const r = await on.query<EventRow>(READ_STREAMS, [[...out.keys()]]);
    for (const row of r.rows) {
      const e = mapping.toEvent(row);
      const s = out.get(row.stream_id) as StreamToDecide;
      s.events.push({ type: e.type, data: e.data });
      s.version = e.streamVersion;
    }
    return out;
  }
  const r = await on.query<{
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
  return out;
};
