import { finished } from 'node:stream/promises';
import { Pool, types, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SqlClient, SqlExecutor, SqlResult } from '../sql-client';

// int8 stays a string (pg's default) so positions and counts never lose precision; PGlite is
// configured the same way, so callers see one type in both run modes.
types.setTypeParser(types.builtins.INT8, (v) => v);

const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Nom de schéma invalide : ${name}`);
  return `"${name}"`;
};

const executor = (c: PoolClient | Pool): SqlExecutor => ({
  async query<R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    const r = await c.query(text, params as unknown[] | undefined);
    return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
  },
});

/** An executor on one connection: queries, and COPY (which a pool cannot: it needs its connection). */
const connectionExecutor = (c: PoolClient): SqlExecutor => ({
  ...executor(c),
  async copyFrom(statement: string, data: string): Promise<void> {
    const stream = c.query(copyFrom(statement));
    stream.end(data);
    // 'finish' comes once the server confirmed the COPY; a refused row ends it with 'error'.
    await finished(stream);
  },
});

export interface PgSqlClientOptions {
  schema?: string;
  max?: number;
  applicationName?: string;
  /**
   * Told of every connection the server ended (restart, failover, `pg_terminate_backend`): the
   * process logs it and counts it; the pool and the LISTEN connections reconnect by themselves.
   */
  onConnectionLost?: (where: 'pool' | 'listen', error: Error) => void;
}

interface ListenEntry {
  client: PoolClient | null;
  readonly handlers: Set<(p: string) => void>;
  /** Set once the last handler left: the reconnection loop stops. */
  closed: boolean;
}

/** LISTEN connections come back from 100 ms to 5 s: NOTIFY is only a wake-up, subscriptions also poll. */
const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 5_000;

export class PgSqlClient implements SqlClient {
  readonly kind = 'pg' as const;
  private readonly listeners = new Map<string, ListenEntry>();
  private readonly opening = new Map<string, Promise<void>>();
  private closing = false;

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    private readonly onConnectionLost: (where: 'pool' | 'listen', error: Error) => void,
  ) {}

  static async connect(connectionString: string, options: PgSqlClientOptions = {}): Promise<PgSqlClient> {
    const schema = options.schema ?? 'public';
    const bootstrap = new Pool({ connectionString, max: 1 });
    try {
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await bootstrap.end();
    }
    const pool = new Pool({
      connectionString,
      max: options.max ?? 20,
      application_name: options.applicationName ?? 'segur-dossiers',
      // Every connection works in the client's schema: a schema per test file keeps suites apart.
      // pg_catalog named last (not implicitly first) lets a test schema define its own now() to
      // move the database clock (test/deadlines); no production schema defines one.
      options: `-c search_path=${quoteIdent(schema)},public,pg_catalog`,
    });
    const onConnectionLost = options.onConnectionLost ?? (() => undefined);
    // An idle client erroring (server restart) must not crash the process; the pool drops it and
    // the next query opens a new connection.
    pool.on('error', (e) => onConnectionLost('pool', e));
    return new PgSqlClient(pool, schema, onConnectionLost);
  }

  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return executor(this.pool).query<R>(text, params);
  }

  async queryArrays<R extends readonly unknown[]>(text: string, params?: readonly unknown[]): Promise<R[]> {
    const config = { text, values: params as unknown[] | undefined, rowMode: 'array' as const };
    return (await this.pool.query<unknown[]>(config)).rows as unknown as R[];
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // The server may end a session in the middle of a transaction (idle_in_transaction_session_timeout,
    // shutdown): the pending or next query fails with it, and an unheard 'error' event would end the
    // process. The broken connection is not given back to the pool.
    let broken: Error | undefined;
    const onError = (e: Error): void => {
      broken = e;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(connectionExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async withConnection<T>(fn: (conn: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // A long-held connection (a runner's advisory lock) the server ends between two queries emits
    // 'error' with nobody awaiting it: heard here, the next query fails and `fn` sees it.
    const onError = (e: Error): void => {
      broken = true;
      this.onConnectionLost('pool', e);
    };
    client.on('error', onError);
    try {
      return await fn(connectionExecutor(client));
    } catch (e) {
      broken = true;
      throw e;
    } finally {
      client.off('error', onError);
      // A connection that held session state (advisory locks) after an error is not reused.
      client.release(broken);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // Concurrent first listens on one channel (every projection subscribes at start) must share one
    // connection: a second one would be overwritten in the map, never released, and `close()`
    // would then wait for it forever.
    let opening = this.opening.get(channel);
    if (!this.listeners.has(channel) && !opening) {
      opening = (async () => {
        const entry: ListenEntry = { client: null, handlers: new Set(), closed: false };
        entry.client = await this.openListener(channel, entry);
        this.listeners.set(channel, entry);
      })().finally(() => this.opening.delete(channel));
      this.opening.set(channel, opening);
    }
    if (opening) await opening;
    const entry = this.listeners.get(channel);
    if (!entry) throw new Error(`LISTEN ${channel} : connexion fermée pendant l'ouverture`);
    entry.handlers.add(onNotify);
    return async () => {
      entry.handlers.delete(onNotify);
      if (entry.handlers.size === 0 && this.listeners.get(channel) === entry) {
        this.listeners.delete(channel);
        entry.closed = true;
        const client = entry.client;
        entry.client = null;
        if (client) {
          await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
          client.release();
        }
      }
    };
  }

  /** Channels whose LISTEN connection is lost and not yet back (reported by `/ready`). */
  lostListeners(): string[] {
    return [...this.listeners].filter(([, e]) => !e.closed && e.client === null).map(([c]) => c);
  }

  private async openListener(channel: string, entry: ListenEntry): Promise<PoolClient> {
    const client = await this.pool.connect();
    client.on('notification', (msg) => {
      if (msg.channel === channel) for (const h of entry.handlers) h(msg.payload ?? '');
    });
    // Without this listener, a LISTEN connection the server ends (restart, failover,
    // pg_terminate_backend) emits an unheard 'error' and ends the whole process.
    client.on('error', (e) => {
      if (entry.client !== client) return;
      entry.client = null;
      client.release(e);
      this.onConnectionLost('listen', e);
      void this.relisten(channel, entry);
    });
    try {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (e) {
      client.release(true);
      throw e;
    }
    return client;
  }

  private async relisten(channel: string, entry: ListenEntry): Promise<void> {
    for (let attempt = 0; !entry.closed && !this.closing; attempt++) {
      await new Promise((r) =>
        setTimeout(r, Math.min(LISTEN_RETRY_MAX_MS, LISTEN_RETRY_MIN_MS * 2 ** attempt)).unref(),
      );
      if (entry.closed || this.closing) return;
      try {
        const client = await this.openListener(channel, entry);
        if (entry.closed || this.closing) {
          client.release();
          return;
        }
        entry.client = client;
        // Notifications sent while the connection was down are lost: wake every subscriber so
        // it reads from its checkpoint at once instead of at its next poll.
        for (const h of entry.handlers) h('');
        return;
      } catch {
        /* still down: try again later */
      }
    }
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const [, e] of this.listeners) {
      e.closed = true;
      e.client?.release();
      e.client = null;
    }
    this.listeners.clear();
    await this.pool.end();
  }
}
