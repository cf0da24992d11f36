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
  sql: `INSERT INTO companion_rows (tag, version) SELECT row->>'tag', last_version::int FROM companions`,
  row: { tag },
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

  describe('group commit (concurrent exact-version appends in one statement)', () => {
    const txOf = (position: string): string => position.slice(0, 20);

    it('groups concurrent appends into one transaction, each caller with its own answer', async () => {
      await store.appendToStream('g-stale', [event('A')], { expectedVersion: 'no_stream' });
      const settled = await Promise.allSettled([
        ...Array.from({ length: 6 }, (_, i) =>
          store.appendToStreamAlongside(
            `g-${i}`,
            [event('A'), event('B')],
            { expectedVersion: 'no_stream' },
            companion(`g${i}`),
          ),
        ),
        store.appendToStreamAlongside(
          'g-stale',
          [event('B')],
          { expectedVersion: 'no_stream' },
          companion('s'),
        ),
      ]);
      const stale = settled.pop();
      expect(stale?.status === 'rejected' && stale.reason).toBeInstanceOf(WrongExpectedVersionError);
      const ok = settled.map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });
      expect(ok.map((r) => r.nextExpectedVersion)).toEqual([2, 2, 2, 2, 2, 2]);
      expect(ok.map((r) => r.streamId)).toEqual(Array.from({ length: 6 }, (_, i) => `g-${i}`));
      // Requested in the same turn of the event loop: one statement, one transaction.
      expect(new Set(ok.flatMap((r) => r.events.map((e) => txOf(e.position)))).size).toBe(1);
      expect(await rows()).toEqual(Array.from({ length: 6 }, (_, i) => ({ tag: `g${i}`, version: 2 })));
      expect(await store.streamVersion('g-stale')).toBe(1);
      const read = await store.readStream('g-3');
      expect(read.map((e) => [e.type, e.streamVersion, e.position])).toEqual(
        ok[3]?.events.map((e) => [e.type, e.streamVersion, e.position]),
      );
    });

    it('lets one of two appends at the same version of a stream in, the other conflicts', async () => {
      const settled = await Promise.allSettled([
        store.appendToStreamAlongside(
          'g-race',
          [event('A')],
          { expectedVersion: 'no_stream' },
          companion('r1'),
        ),
        store.appendToStreamAlongside(
          'g-race',
          [event('B')],
          { expectedVersion: 'no_stream' },
          companion('r2'),
        ),
      ]);
      expect(settled.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const lost = settled.find((r) => r.status === 'rejected');
      expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.streamVersion('g-race')).toBe(1);
      expect((await rows()).map((r) => r.version)).toEqual([1]);
    });

    it('fails only the append whose companion write fails, not the rest of its group', async () => {
      await db.client.query(`INSERT INTO companion_rows (tag, version) VALUES ('taken', 0)`);
      const settled = await Promise.allSettled(
        ['a', 'taken', 'b'].map((tag) =>
          store.appendToStreamAlongside(
            `f-${tag}`,
            [event('A')],
            { expectedVersion: 'no_stream' },
            companion(tag),
          ),
        ),
      );
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await store.streamVersion('f-taken')).toBe(0);
      expect(await store.streamVersion('f-a')).toBe(1);
      expect(await rows()).toEqual([
        { tag: 'a', version: 1 },
        { tag: 'b', version: 1 },
        { tag: 'taken', version: 0 },
      ]);
    });
  });
});
