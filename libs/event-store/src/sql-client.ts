// The smallest SQL surface both `pg` (pooled) and PGlite satisfy, so one SQL module serves the
// PostgreSQL event store, the read models and the deadlines table in both run modes.
export interface SqlResult<R> {
  rows: R[];
  rowCount: number;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
  /**
   * `COPY … FROM STDIN` (text format) fed with `data`, on a connection of its own (in a transaction
   * or `withConnection`); absent where the driver cannot (PGlite, a pool). Bulk inserts use it when
   * there: PostgreSQL parses tab-separated text and inserts by pages, far cheaper than unpacking a
   * JSON parameter row by row.
   */
  copyFrom?(statement: string, data: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pg' | 'pglite';
  /**
   * `query` with each row as the array of its column values, in the statement's order: no object
   * per row. For the hot reads, pages of events: on a rebuild's million events, far less CPU than
   * keyed rows (pg builds and fills an object per row, then the event is built from it).
   */
  queryArrays<R extends readonly unknown[]>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (session-level advisory locks, LISTEN). */
  withConnection<T>(fn: (conn: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; returns an unsubscribe function. A lost connection is reopened in the
   * background and every handler is then called once with '' (notifications may have been missed).
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Channels listened to whose connection is lost and not yet reopened. */
  lostListeners(): string[];
  /** Schema-qualified names: every table is created in this schema (a schema per test file). */
  readonly schema: string;
  close(): Promise<void>;
}
