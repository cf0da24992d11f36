import type { SqlExecutor } from '../../sql-client';
import { STREAM_VERSION, STREAM_VERSIONS } from '../postgres.sql';

/** One stream's version (0: no stream). */
export const streamVersion = async (on: SqlExecutor, streamId: string): Promise<number> => {
  const r = await on.query<{ version: string }>(STREAM_VERSION, [streamId]);
  return Number(r.rows[0]?.version ?? 0);
};

/** A row of STREAM_VERSIONS. */
export interface VersionRow {
  stream_id: string;
  version: string | number;
}

/** STREAM_VERSIONS' rows set into `into`: each asked stream's version (0: no stream). */
export const versionsOf = (
  rows: readonly VersionRow[],
  into = new Map<string, number>(),
): Map<string, number> => {
  for (const row of rows) into.set(row.stream_id, Number(row.version));
  return into;
};

/**
 * StoreTransaction.readStreamVersions on the caller's transaction: each stream's version, also
 * recorded in `known` (the versions that transaction has seen, see appendManyJoined).
 */
export const readStreamVersionsIn = async (
  tx: SqlExecutor,
  streamIds: readonly string[],
  known: Map<string, number>,
): Promise<Map<string, number>> => {
  const out = new Map<string, number>(streamIds.map((id) => [id, 0]));
  if (streamIds.length === 0) return out;
  const r = await tx.query<VersionRow>(STREAM_VERSIONS, [[...out.keys()]]);
  versionsOf(r.rows, out);
  for (const [id, v] of out) known.set(id, v);
  return out;
};
