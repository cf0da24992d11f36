import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../sql-client';
import { PgSqlClient } from '../sql/pg.sql-client';
import { PgliteSqlClient } from '../sql/pglite.sql-client';

export interface TestSqlClient {
  client: SqlClient;
  /** Drops what the test created and closes the client. */
  teardown: () => Promise<void>;
}

/**
 * Real PostgreSQL when TEST_DATABASE_URL is set (a fresh schema per call, so test files run in
 * parallel), otherwise an in-memory PGlite.
 */
export const createTestSqlClient = async (prefix = 't'): Promise<TestSqlClient> => {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
    const client = await PgSqlClient.connect(url, { schema, max: 20 });
    return {
      client,
      teardown: async () => {
        await client.dropSchema();
        await client.close();
      },
    };
  }
  const client = await PgliteSqlClient.open();
  return { client, teardown: () => client.close() };
};

/** Only for suites that need several real connections (concurrency, advisory locks). */
export const requirePostgresUrl = (): string | undefined => process.env.TEST_DATABASE_URL;
