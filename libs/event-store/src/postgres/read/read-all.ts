import {
  comparePositions,
  type EventMetadata,
  type ReadAllOptions,
  type ReadAllPage,
} from '../../event-store.port';
import type { SqlClient } from '../../sql-client';
import { decodePosition, encodePosition } from '../postgres.position';
import { HEAD, READ_ALL, READ_ALL_FILTERED, readAllWithMetadataKeys } from '../postgres.sql';
import type { EventRow } from '../row-mapping';
import type { StoreContext } from '../store-context';

/** A row of READ_ALL or readAllWithMetadataKeys, as an array: PAGE_COLUMNS, then the metadata. */
type PageRow = [
  position: string,
  streamId: string,
  streamVersion: string,
  id: string,
  type: string,
  schemaVersion: number,
  data: unknown,
  recordedMs: string,
  ...metadata: unknown[],
];
/** Where a PageRow's metadata columns start. */
const PAGE_METADATA = 8;
const wholeMetadata = (row: PageRow): EventMetadata => row[PAGE_METADATA] as EventMetadata;

export const readAll = async (ctx: StoreContext, options: ReadAllOptions): Promise<ReadAllPage> => {
  const after = options.after ?? null;
  const from = decodePosition(after);
  const filter = options.filter;
  if (!filter?.types && !filter?.streamPrefix)
    return readPage(ctx, READ_ALL, after, options.limit, wholeMetadata);
  const r = await ctx.sql.query<
    Partial<EventRow> & { head_tx: string | null; head_global_position: string | null }
  >(READ_ALL_FILTERED, [
    from.transactionId,
    from.globalPosition,
    options.limit,
    filter.types ?? null,
    filter.streamPrefix ?? null,
  ]);
  const events = r.rows
    .filter((row): row is EventRow & typeof row => row.tx !== null && row.tx !== undefined)
    .map(ctx.mapping.toEvent);
  let cursor = events.at(-1)?.position ?? after;
  const head = r.rows[0];
  if (events.length < options.limit && head?.head_tx && head.head_global_position) {
    // Not a full page: everything visible up to the head was scanned, matched or not.
    const headPosition = encodePosition(head.head_tx, head.head_global_position);
    if (comparePositions(headPosition, cursor) > 0) cursor = headPosition;
  }
  return { events, cursor };
};

/** readAll's unfiltered page with only `keys` of each event's metadata (see PagesOptions). */
export const readPageWithMetadataKeys = (
  ctx: StoreContext,
  after: string | null,
  limit: number,
  keys: readonly string[],
): Promise<ReadAllPage> => {
  const text = (ctx.metadataReads[keys.join(',')] ??= readAllWithMetadataKeys(keys));
  return readPage(ctx, text, after, limit, (row) => {
    const metadata: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) metadata[keys[i]!] = row[PAGE_METADATA + i];
    return metadata as EventMetadata;
  });
};

/** One unfiltered page: `text` takes the cursor ($1, $2) and the limit ($3), returns PageRows. */
const readPage = async (
  ctx: StoreContext,
  text: string,
  after: string | null,
  limit: number,
  metadataOf: (row: PageRow) => EventMetadata,
): Promise<ReadAllPage> => {
  const from = decodePosition(after);
  const rows = await ctx.sql.queryArrays<PageRow>(text, [from.transactionId, from.globalPosition, limit]);
  const mapping = ctx.mapping;
  const events = rows.map((row) =>
    mapping.upcasters.upcast({
      id: row[3],
      type: row[4],
      schemaVersion: row[5],
      streamId: row[1],
      streamVersion: Number(row[2]),
      position: row[0],
      recordedAt: mapping.recordedAtOf(row[7]),
      data: row[6],
      metadata: metadataOf(row),
    }),
  );
  return { events, cursor: events.at(-1)?.position ?? after };
};

export const headPosition = async (sql: SqlClient): Promise<string | null> => {
  const r = await sql.query<{ tx: string; global_position: string }>(HEAD);
  const head = r.rows[0];
  return head ? encodePosition(head.tx, head.global_position) : null;
};
