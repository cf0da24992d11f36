import { describeEventStoreContract } from '../contract/event-store.contract';
import { PgliteSqlClient } from '../sql/pglite.sql-client';
import { PostgresEventStore } from './postgres.event-store';
import { migrate } from './postgres.migrations';

// Always PGlite (even when TEST_DATABASE_URL is set): the embedded mode runs this exact SQL.
describeEventStoreContract('PostgreSQL SQL on PGlite', async (options) => {
  const sql = await PgliteSqlClient.open();
  await migrate(sql);
  await migrate(sql); // idempotent
  const store = new PostgresEventStore(sql, { upcasters: options?.upcasters });
  return {
    store,
    teardown: async () => {
      await store.close();
      await sql.close();
    },
  };
});
