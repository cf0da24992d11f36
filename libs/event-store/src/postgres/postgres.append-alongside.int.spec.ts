import {
  WrongExpectedVersionError,
  appendsAlongside,
  type AppendCompanion,
  type NewEvent,
} from '../event-store.port';
import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';
import { PostgresEventStore } from './postgres.event-store';
import { migrate } from './postgres.migrations';

// The companion write commits with the append or not at all (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set): the command log of accepted commands relies on it.
const companion = (tag: string): AppendCompanion => ({
  name: 'test_companion',
  sql: `INSERT INTO companion_rows (tag, version)
  SELECT $8::text, max(stream_version)::int FROM appended HAVING count(*) > 0`,
  params: [tag],
});
const event = (type: string): NewEvent => ({
  type,
  data: { type },
  metadata: { actor: { id: 'test', role: 'test' }, correlationId: 'c', causationId: null },
});

describe('PostgresEventStore.appendToStreamAlongside', () => {
  let db: TestSqlClient;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestSqlClient('alongside');
    await migrate(db.client);
    await db.client.query('CREATE TABLE companion_rows (tag text PRIMARY KEY, version int NOT NULL)');
    store = new PostgresEventStore(db.client);
  });
  afterEach(async () => {
    await store.close();
    await db.teardown();
  });

  const rows = async () =>
    (
      await db.client.query<{ tag: string; version: number }>(
        'SELECT tag, version FROM companion_rows ORDER BY tag',
      )
    ).rows;

  it('writes the companion row with the append, seeing the last appended version', async () => {
    expect(appendsAlongside(store)).toBe(true);
    await store.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
    const r = await store.appendToStreamAlongside(
      's-1',
      [event('B'), event('C')],
      { expectedVersion: 1 },
      companion('x'),
    );
    expect(r.nextExpectedVersion).toBe(3);
    expect(r.events.map((e) => e.streamVersion)).toEqual([2, 3]);
    expect(await rows()).toEqual([{ tag: 'x', version: 3 }]);
  });

  it('writes nothing at all when the expected version is not met', async () => {
    await store.appendToStream('s-2', [event('A')], { expectedVersion: 'no_stream' });
    await expect(
      store.appendToStreamAlongside('s-2', [event('B')], { expectedVersion: 'no_stream' }, companion('y')),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await rows()).toEqual([]);
    expect(await store.streamVersion('s-2')).toBe(1);
  });

  it('rolls the events back when the companion write fails', async () => {
    await store.appendToStreamAlongside(
      's-3',
      [event('A')],
      { expectedVersion: 'no_stream' },
      companion('dup'),
    );
    await expect(
      store.appendToStreamAlongside('s-3', [event('B')], { expectedVersion: 1 }, companion('dup')),
    ).rejects.toThrow();
    expect(await store.streamVersion('s-3')).toBe(1);
  });

  it('refuses a second text under a prepared name already used', async () => {
    await store.appendToStreamAlongside(
      's-4',
      [event('A')],
      { expectedVersion: 'no_stream' },
      companion('z'),
    );
    const other = { ...companion('w'), sql: `${companion('w').sql} ON CONFLICT DO NOTHING` };
    await expect(
      store.appendToStreamAlongside('s-4', [event('B')], { expectedVersion: 1 }, other),
    ).rejects.toThrow(/déjà préparé/);
  });
});
