import type { SqlExecutor } from '../../sql-client';
import { STREAM_VERSION, STREAM_VERSIONS } from '../postgres.sql';

/** One stream's version (0: no stream). */
export const streamVersion = async (on: SqlExecutor, streamId: string): Promise<number> => {
  const r = await on.query<{ version: string }>(STREAM_VERSION, [streamId]);
  return Number(r.rows[0]?.version ?? 0);
};

/** Each stream's version (0: no stream), one STREAM_VERSIONS round trip, set into `into`. */
export const readVersions = async (
  on: SqlExecutor,
  streamIds: readonly string[],
  into = new Map<string, number>(),
): Promise<Map<string, number>> => {
  const r = await on.query<{ stream_id: string; version: string | number }>(STREAM_VERSIONS, [streamIds]);
  for (const row of r.rows) into.set(row.stream_id, Number(row.version));
  return into;
};
