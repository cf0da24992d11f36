import type { AppendManyItem, AppendManyResult } from '../../event-store.port';
import type { SqlExecutor } from '../../sql-client';
import { InsertColumns } from '../append/insert-columns';
import { encodePosition } from '../postgres.position';
import { INSERT_EVENTS, INSERT_EVENTS_CHECKED } from '../postgres.sql';
import type { AppendedRow, PreparedEvent, RowMapping } from '../row-mapping';

/**
 * All accepted streams' events in one multi-row INSERT … SELECT FROM unnest(…): item `i` written
 * from version `base[i]` + 1; `checked`, only where its stream is still at `base[i]`. Returns the
 * results of the accepted items whose rows came back; the others stay unset.
 */
export const insertEvents = async (
  on: SqlExecutor,
  mapping: RowMapping,
  accepted: number[],
  items: AppendManyItem[],
  prepared: PreparedEvent[][],
  base: number[],
  checked: boolean,
  events: boolean,
): Promise<AppendManyResult[]> => {
  // Every event of a store is prepared with a digest or none (PostgresEventStoreOptions.auditChain).
  const first = accepted[0] === undefined ? undefined : prepared[accepted[0]]?.[0];
  const columns = new InsertColumns(checked, (first?.digest ?? null) !== null);
  for (const i of accepted)
    columns.add((items[i] as AppendManyItem).streamId, base[i] as number, prepared[i] as PreparedEvent[]);
  const r = await on.query<AppendedRow>(checked ? INSERT_EVENTS_CHECKED : INSERT_EVENTS, columns.params());
  return resultsOf(mapping, accepted, items, prepared, base, r.rows, events);
};

/** Results of the accepted items whose rows came back; the others stay unset. */
const resultsOf = (
  mapping: RowMapping,
  accepted: number[],
  items: AppendManyItem[],
  prepared: PreparedEvent[][],
  base: number[],
  rows: AppendedRow[],
  events: boolean,
): AppendManyResult[] => {
  const results = new Array<AppendManyResult>(items.length);
  const byStreamVersion = new Map(rows.map((row) => [`${row.stream_version} ${row.stream_id}`, row]));
  for (const i of accepted) {
    const item = items[i] as AppendManyItem;
    const from = base[i] as number;
    if (!byStreamVersion.has(`${from + 1} ${item.streamId}`)) continue;
    if (!events) {
      const to = from + item.events.length;
      const last = byStreamVersion.get(`${to} ${item.streamId}`) as AppendedRow;
      const lastPosition = encodePosition(last.tx, last.global_position);
      results[i] = {
        streamId: item.streamId,
        ok: true,
        result: { streamId: item.streamId, nextExpectedVersion: to, lastPosition, events: [] },
      };
      continue;
    }
    const streamRows = item.events.map(
      (_, k) => byStreamVersion.get(`${from + k + 1} ${item.streamId}`) as AppendedRow,
    );
    results[i] = {
      streamId: item.streamId,
      ok: true,
      result: mapping.appendResult(item.streamId, prepared[i] as PreparedEvent[], streamRows),
    };
  }
  return results;
};
