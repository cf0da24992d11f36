import { randomBytes } from 'node:crypto';
import { PgSqlClient } from '../sql/pg.sql-client';
import type { Upcasters } from '../upcasters';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres.event-store';
import { migrate } from './postgres.migrations';

/** A PostgresEventStore in a fresh schema of TEST_DATABASE_URL, for integration suites. */
export const createPostgresTestStore = async (
  url: string,
  options: PostgresEventStoreOptions & { upcasters?: Upcasters; max?: number } = {},
): Promise<{ store: PostgresEventStore; sql: PgSqlClient; teardown: () => Promise<void> }> => {
  const sql = await PgSqlClient.connect(url, {
    schema: `es_${randomBytes(6).toString('hex')}`,
    max: options.max ?? 20,
  });
  await migrate(sql);
  const store = new PostgresEventStore(sql, options);
  return {
    store,
    sql,
    teardown: async () => {
      await store.close();
      await sql.dropSchema();
      await sql.close();
    },
  };
};
