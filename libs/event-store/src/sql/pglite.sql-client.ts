import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from '../sql-client';

// PGlite is one PostgreSQL session in this process: transactions are serialised by PGlite itself,
// and "a dedicated connection" is that same session. Good for the embedded mode and unit-speed
// tests; cross-process concurrency is proven on real PostgreSQL.
const parsers = { [types.INT8]: (v: string): string => v };

const executor = (db: Pick<PGlite, 'query'>): SqlExecutor => ({
  async query<R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    const r = await db.query<R>(text, params as unknown[] | undefined);
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  },
});

export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;
  readonly schema: string;

  private constructor(
    readonly db: PGlite,
    schema: string,
  ) {
    this.schema = schema;
  }

  /** `dataDir` undefined: in memory. The caller holds the DATA_DIR lock (one process only). */
  static async open(dataDir?: string, schema = 'public'): Promise<PgliteSqlClient> {
    const db = dataDir ? new PGlite(dataDir, { parsers }) : new PGlite({ parsers });
    await db.waitReady;
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Nom de schéma invalide : ${schema}`);
    await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}", public, pg_catalog;`);
    return new PgliteSqlClient(db, schema);
  }

  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return executor(this.db).query<R>(text, params);
  }

  async queryArrays<R extends readonly unknown[]>(text: string, params?: readonly unknown[]): Promise<R[]> {
    return (await this.db.query<R>(text, params as unknown[] | undefined, { rowMode: 'array' })).rows;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(executor(tx)));
  }

  async withConnection<T>(fn: (conn: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(executor(this.db));
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.db.listen(channel, onNotify);
  }

  /** In-process: no connection to lose. */
  lostListeners(): string[] {
    return [];
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
