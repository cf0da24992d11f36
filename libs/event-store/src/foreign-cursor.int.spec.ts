import { createTestSqlClient, type TestSqlClient } from './testing/test-sql-client';
import { ForeignCursorError } from './foreign-cursor.error';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { migrate } from './postgres/postgres.migrations';
import { encodePosition as encodePg } from './postgres/postgres.position';
import { encodePosition as encodeEsdb } from './eventstoredb/eventstoredb.position';

const PG = encodePg('742', '42');
const ESDB = encodeEsdb({ commit: 42n, prepare: 42n });

describe(`PostgreSQL store refuses an EventStoreDB cursor (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let pg: PostgresEventStore;
  beforeAll(async () => {
    t = await createTestSqlClient('foreign_cursor');
    await migrate(t.client);
    pg = new PostgresEventStore(t.client);
  });
  afterAll(async () => {
    await pg.close();
    await t.teardown();
  });

  it('in readAll and subscribeToAll, and keeps reading its own (unprefixed) cursors', async () => {
    await expect(pg.readAll({ after: ESDB, limit: 10 })).rejects.toBeInstanceOf(ForeignCursorError);
    const iterator = pg.subscribeToAll({ from: ESDB })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(ForeignCursorError);
    await expect(pg.readAll({ after: PG, limit: 10 })).resolves.toEqual(
      expect.objectContaining({ events: [] }),
    );
  });
});
