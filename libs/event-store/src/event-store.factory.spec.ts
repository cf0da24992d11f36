import { createEventStore } from './event-store.factory';
import { InMemoryEventStore } from './memory/memory.event-store';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { PgliteSqlClient } from './sql/pglite.sql-client';
import { Upcasters } from './upcasters';

describe('createEventStore', () => {
  it('builds the in-memory store with its upcasters', async () => {
    const upcasters = new Upcasters().register('A', 1, () => ({ upcast: true }));
    const store = await createEventStore({ kind: 'memory', upcasters });
    expect(store).toBeInstanceOf(InMemoryEventStore);
    await store.appendToStream(
      's',
      [
        {
          type: 'A',
          data: {},
          metadata: { actor: { id: 'x', role: 'r' }, correlationId: 'c', causationId: null },
        },
      ],
      {
        expectedVersion: 'no_stream',
      },
    );
    expect(await store.readStream('s')).toMatchObject([{ schemaVersion: 2, data: { upcast: true } }]);
  });

  it('migrates and builds the PostgreSQL store on a SqlClient', async () => {
    const sql = await PgliteSqlClient.open();
    try {
      const store = await createEventStore({ kind: 'postgres', sql });
      expect(store).toBeInstanceOf(PostgresEventStore);
      expect(await store.headPosition()).toBeNull();
    } finally {
      await sql.close();
    }
  });
});
