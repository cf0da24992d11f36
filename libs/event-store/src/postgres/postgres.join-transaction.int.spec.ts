import { joinsTransactions, type NewEvent } from '../event-store.port';
import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';
import { itWithPostgres } from '../testing/with-postgres';
import { Upcasters } from '../upcasters';
import { PostgresEventStore } from './postgres.event-store';
import { migrate } from './postgres.migrations';

// Reads and appends in the caller's transaction (PGlite, or PostgreSQL when TEST_DATABASE_URL is
// set): the deadlines firer's claim, append, command log and marks commit together or not at all.
const event = (type: string): NewEvent => ({
  type,
  data: { type },
  metadata: { actor: { id: 'test', role: 'test' }, correlationId: 'c', causationId: null },
});

describe('PostgresEventStore.joinTransaction', () => {
  let db: TestSqlClient;
  let store: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestSqlClient('joined');
    await migrate(db.client);
    await db.client.query('CREATE TABLE side_rows (tag text PRIMARY KEY)');
    store = new PostgresEventStore(db.client);
  });
  afterEach(async () => {
    await store.close();
    await db.teardown();
  });

  const tags = async (): Promise<string[]> =>
    (await db.client.query<{ tag: string }>('SELECT tag FROM side_rows ORDER BY tag')).rows.map((r) => r.tag);

  it('reads, appends to many streams and commits with the caller’s own writes', async () => {
    expect(joinsTransactions(store)).toBe(true);
    await store.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
    const results = await db.client.transaction(async (tx) => {
      const joined = store.joinTransaction(tx);
      const read = await joined.readStreams(['s-1', 's-2']);
      expect(read.get('s-1')?.map((e) => e.type)).toEqual(['A']);
      expect(read.get('s-2')).toEqual([]);
      const r = await joined.appendMany([
        { streamId: 's-1', events: [event('B')], expectedVersion: 1 },
        { streamId: 's-2', events: [event('C'), event('D')], expectedVersion: 'no_stream' },
      ]);
      await tx.query(`INSERT INTO side_rows (tag) VALUES ('x')`);
      // The transaction sees its own appends.
      expect((await joined.readStreams(['s-2'])).get('s-2')?.map((e) => e.streamVersion)).toEqual([1, 2]);
      return r;
    });
    expect(results.map((r) => r.ok && r.result.nextExpectedVersion)).toEqual([2, 2]);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B']);
    expect((await store.readStream('s-2')).map((e) => e.type)).toEqual(['C', 'D']);
    expect(await tags()).toEqual(['x']);
  });

  it('reads what a decider folds: type and data in version order, and each stream’s version', async () => {
    await store.appendToStream('s-1', [event('A'), event('B')], { expectedVersion: 'no_stream' });
    const read = await db.client.transaction((tx) =>
      store.joinTransaction(tx).readStreamsToDecide(['s-1', 's-2']),
    );
    expect(read.get('s-1')).toEqual({
      version: 2,
      events: [
        { type: 'A', data: { type: 'A' } },
        { type: 'B', data: { type: 'B' } },
      ],
    });
    expect(read.get('s-2')).toEqual({ version: 0, events: [] });
  });

  it('upcasts what it reads for a decider, as every read does', async () => {
    const upcasting = new PostgresEventStore(db.client, {
      upcasters: new Upcasters().register('A', 1, (data) => ({ ...(data as object), v2: true })),
    });
    await upcasting.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
    const read = await db.client.transaction((tx) =>
      upcasting.joinTransaction(tx).readStreamsToDecide(['s-1']),
    );
    expect(read.get('s-1')).toEqual({ version: 1, events: [{ type: 'A', data: { type: 'A', v2: true } }] });
    await upcasting.close();
  });

  it('appends nothing when the caller’s transaction rolls back', async () => {
    await expect(
      db.client.transaction(async (tx) => {
        const joined = store.joinTransaction(tx);
        await joined.appendMany([{ streamId: 's-1', events: [event('A')], expectedVersion: 'no_stream' }]);
        await tx.query(`INSERT INTO side_rows (tag) VALUES ('x')`);
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect(await store.readStream('s-1')).toEqual([]);
    expect(await tags()).toEqual([]);
  });

  it('reports a missed expected version for that stream alone and keeps the transaction usable', async () => {
    await store.appendToStream('s-1', [event('A'), event('B')], { expectedVersion: 'no_stream' });
    const results = await db.client.transaction(async (tx) => {
      const joined = store.joinTransaction(tx);
      const r = await joined.appendMany([
        { streamId: 's-1', events: [event('X')], expectedVersion: 1 },
        { streamId: 's-2', events: [event('C')], expectedVersion: 'no_stream' },
      ]);
      await tx.query(`INSERT INTO side_rows (tag) VALUES ('after')`);
      return r;
    });
    const [conflict, accepted] = results;
    expect(conflict?.ok).toBe(false);
    if (conflict && !conflict.ok) expect(conflict.error.actual).toBe(2);
    expect(accepted?.ok).toBe(true);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B']);
    expect((await store.readStream('s-2')).map((e) => e.type)).toEqual(['C']);
    expect(await tags()).toEqual(['after']);
  });

  itWithPostgres(
    'sees an append another connection committed during the transaction, as a conflict',
    async () => {
      const results = await db.client.transaction(async (tx) => {
        await tx.query('SELECT 1');
        const joined = store.joinTransaction(tx);
        await store.appendToStream('s-1', [event('Other')], { expectedVersion: 'no_stream' });
        const r = await joined.appendMany([{ streamId: 's-1', events: [event('Mine')], expectedVersion: 0 }]);
        await tx.query(`INSERT INTO side_rows (tag) VALUES ('still-usable')`);
        return r;
      });
      expect(results[0]?.ok).toBe(false);
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['Other']);
      expect(await tags()).toEqual(['still-usable']);
    },
  );
  it('reads each stream’s version alone (0: no stream) and appends at it', async () => {
    await store.appendToStream('s-1', [event('A'), event('B')], { expectedVersion: 'no_stream' });
    const results = await db.client.transaction(async (tx) => {
      const joined = store.joinTransaction(tx);
      const versions = await joined.readStreamVersions(['s-1', 's-2']);
      expect([...versions]).toEqual([
        ['s-1', 2],
        ['s-2', 0],
      ]);
      return joined.appendMany(
        [
          { streamId: 's-1', events: [event('C')], expectedVersion: versions.get('s-1') ?? -1 },
          { streamId: 's-2', events: [event('D')], expectedVersion: 'no_stream' },
        ],
        { returnEvents: false },
      );
    });
    expect(results.map((r) => r.ok && r.result.nextExpectedVersion)).toEqual([3, 1]);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'B', 'C']);
  });

  itWithPostgres('reports an append committed elsewhere after a version read as a conflict', async () => {
    await store.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
    const results = await db.client.transaction(async (tx) => {
      const joined = store.joinTransaction(tx);
      const versions = await joined.readStreamVersions(['s-1']);
      await store.appendToStream('s-1', [event('Other')], { expectedVersion: 1 });
      return joined.appendMany(
        [{ streamId: 's-1', events: [event('Mine')], expectedVersion: versions.get('s-1') ?? -1 }],
        { returnEvents: false },
      );
    });
    expect(results[0]?.ok).toBe(false);
    expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'Other']);
  });

  it('appends at the versions it read (and then appended) in the transaction', async () => {
    await store.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
    const results = await db.client.transaction(async (tx) => {
      const joined = store.joinTransaction(tx);
      const read = await joined.readStreamsToDecide(['s-1', 's-2']);
      const first = await joined.appendMany(
        [
          { streamId: 's-1', events: [event('B')], expectedVersion: read.get('s-1')?.version ?? -1 },
          { streamId: 's-2', events: [event('C'), event('D')], expectedVersion: 'no_stream' },
        ],
        { returnEvents: false },
      );
      const second = await joined.appendMany([{ streamId: 's-1', events: [event('E')], expectedVersion: 2 }]);
      return [...first, ...second];
    });
    expect(results.map((r) => r.ok && r.result.nextExpectedVersion)).toEqual([2, 2, 3]);
    expect((await store.readStream('s-1')).map((e) => [e.type, e.streamVersion])).toEqual([
      ['A', 1],
      ['B', 2],
      ['E', 3],
    ]);
    expect((await store.readStream('s-2')).map((e) => e.type)).toEqual(['C', 'D']);
  });

  itWithPostgres(
    'reports an append another connection committed after the read as a conflict, the rest going in',
    async () => {
      await store.appendToStream('s-1', [event('A')], { expectedVersion: 'no_stream' });
      const results = await db.client.transaction(async (tx) => {
        const joined = store.joinTransaction(tx);
        const read = await joined.readStreamsToDecide(['s-1', 's-2']);
        await store.appendToStream('s-1', [event('Other')], { expectedVersion: 1 });
        const r = await joined.appendMany(
          [
            { streamId: 's-1', events: [event('Mine')], expectedVersion: read.get('s-1')?.version ?? -1 },
            { streamId: 's-2', events: [event('C')], expectedVersion: 'no_stream' },
          ],
          { returnEvents: false },
        );
        await tx.query(`INSERT INTO side_rows (tag) VALUES ('still-usable')`);
        return r;
      });
      const [conflict, accepted] = results;
      expect(conflict?.ok).toBe(false);
      if (conflict && !conflict.ok) expect(conflict.error.actual).toBe(2);
      expect(accepted?.ok).toBe(true);
      expect((await store.readStream('s-1')).map((e) => e.type)).toEqual(['A', 'Other']);
      expect((await store.readStream('s-2')).map((e) => e.type)).toEqual(['C']);
      expect(await tags()).toEqual(['still-usable']);
    },
  );
});
