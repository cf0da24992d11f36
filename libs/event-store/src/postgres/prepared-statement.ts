import type { SqlClient } from '../sql-client';
import { PgSqlClient } from '../sql/pg.sql-client';

/**
 * Hot statements run as named prepared statements on `pg` (parsed and planned once per
 * connection); PGlite, in process, gains nothing from it. A name must always carry the same text.
 */
export const runPrepared = async <R>(
  sql: SqlClient,
  name: string,
  text: string,
  params: unknown[],
): Promise<R[]> => {
  if (sql instanceof PgSqlClient) {
    return (await sql.pool.query<R & Record<string, unknown>>({ name, text, values: params })).rows;
  }
  return (await sql.query<R>(text, params)).rows;
};
