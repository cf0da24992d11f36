import type { SqlExecutor } from '../sql-client';
import { PgSqlClient } from '../sql/pg.sql-client';

/**
 * Hot statements run as named prepared statements on `pg`: each pooled connection parses and plans
 * them once, then only binds and executes (for a point lookup the planning is most of the database's
 * work, see docs/performance.md). PGlite, in process, gains nothing from it, and a transaction runs
 * them as plain queries. A name must always carry the same text.
 */
export const runPrepared = async <R>(
  sql: SqlExecutor,
  name: string,
  text: string,
  params: unknown[],
): Promise<R[]> => {
  if (sql instanceof PgSqlClient) {
    return (await sql.pool.query<R & Record<string, unknown>>({ name, text, values: params })).rows;
  }
  return (await sql.query<R>(text, params)).rows;
};
