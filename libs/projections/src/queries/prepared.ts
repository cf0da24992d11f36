import { PgSqlClient, type SqlExecutor } from '@segur/event-store';

/**
 * A hot read as a named (prepared) statement on node-postgres: each pooled connection parses and
 * plans it once, then only binds and executes it. For a point lookup the planning is most of the
 * database's work (see docs/performance.md). `name` must always go with the same `text`. Other
 * executors (PGlite, a transaction) run it as a plain query.
 */
export const queryPrepared = async <R>(
  sql: SqlExecutor,
  name: string,
  text: string,
  params: unknown[],
): Promise<R[]> => {
  if (sql instanceof PgSqlClient)
    return (await sql.pool.query<R & Record<string, unknown>>({ name, text, values: params })).rows;
  return (await sql.query<R>(text, params)).rows;
};
