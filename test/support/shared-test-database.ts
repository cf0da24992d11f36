import { randomBytes } from 'node:crypto';
import { PgSqlClient, PgliteSqlClient, type SqlClient } from '@segur/event-store';

/**
 * One database that several app instances open in turn or at once (a restart, two workers). On
 * PostgreSQL (TEST_DATABASE_URL) each instance gets its own pool on the same schema, as separate
 * processes would; PGlite cannot be shared between pools, so every instance uses the one session.
 */
export interface SharedTestDatabase {
  /** Connections for one app instance. */
  connect(): Promise<SqlClient>;
  /** The instance is gone: on PostgreSQL its sessions (and advisory locks) end with it. */
  release(sql: SqlClient): Promise<void>;
  /** For the test's own queries. */
  admin: SqlClient;
  teardown(): Promise<void>;
}

export const openSharedTestDatabase = async (prefix: string): Promise<SharedTestDatabase> => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const sql = await PgliteSqlClient.open();
    return {
      connect: async () => sql,
      release: async () => undefined,
      admin: sql,
      teardown: () => sql.close(),
    };
  }
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = await PgSqlClient.connect(url, { schema, max: 4 });
  const open = new Set<PgSqlClient>();
  return {
    connect: async () => {
      const sql = await PgSqlClient.connect(url, { schema, max: 20 });
      open.add(sql);
      return sql;
    },
    release: async (sql) => {
      if (!open.delete(sql as PgSqlClient)) return;
      await sql.close();
    },
    admin,
    teardown: async () => {
      await Promise.all([...open].map((c) => c.close().catch(() => undefined)));
      open.clear();
      await admin.dropSchema();
      await admin.close();
    },
  };
};
