import { describeEventStoreContract } from '../contract/event-store.contract';
import { PgSqlClient } from '../sql/pg.sql-client';
import { MIGRATIONS, migrate } from './postgres.migrations';
import { createPostgresTestStore } from './postgres.test-store';

const url = process.env.TEST_DATABASE_URL;

if (!url) {
  // A visible skip in a plain `npm test`; CI always sets the URL, so it never skips there.
  test.skip('PostgreSQL contract: set TEST_DATABASE_URL', () => undefined);
} else {
  describeEventStoreContract(
    'PostgreSQL',
    async (options) => createPostgresTestStore(url, { upcasters: options?.upcasters }),
    { torture: true },
  );

  describe('PostgreSQL migrations', () => {
    it('can be run by several processes at once', async () => {
      const { sql, teardown } = await createPostgresTestStore(url);
      const schema = `${sql.schema}_m`;
      // Connected one by one: PgSqlClient.connect's CREATE SCHEMA IF NOT EXISTS itself races.
      const clients: PgSqlClient[] = [];
      for (let i = 0; i < 3; i++) clients.push(await PgSqlClient.connect(url, { schema, max: 2 }));
      try {
        await Promise.all(clients.map((c) => migrate(c)));
        const r = await clients[0]!.query<{ n: string }>('SELECT count(*) AS n FROM es_schema_migrations');
        expect(r.rows[0]?.n).toBe(String(MIGRATIONS.length));
      } finally {
        await clients[0]!.dropSchema();
        await Promise.all(clients.map((c) => c.close()));
        await teardown();
      }
    });
  });
}
