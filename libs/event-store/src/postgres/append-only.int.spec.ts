import { createEventStore } from '../event-store.factory';
import type { EventStore } from '../event-store.port';
import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';

// Even the application's own role, which owns es_events, cannot rewrite history: a mistaken
// script's UPDATE, DELETE or TRUNCATE is refused by the database and changes nothing. On real
// PostgreSQL with TEST_DATABASE_URL, on PGlite otherwise (both run the same migrations).
describe('es_events en ajout seul (déclencheurs de la base)', () => {
  let db: TestSqlClient;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestSqlClient('append_only');
    store = await createEventStore({ kind: 'postgres', sql: db.client });
    await store.appendToStream(
      'dossier-FINSAS000001',
      [
        {
          type: 'AvanceImported',
          data: { montant: 1000 },
          metadata: { actor: { id: 'test', role: 'fournisseur' }, correlationId: 'c1', causationId: null },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
  });

  afterAll(async () => {
    await store.close();
    await db.teardown();
  });

  const rows = async (): Promise<unknown[]> =>
    (await db.client.query('SELECT event_id, event_type, data FROM es_events ORDER BY global_position')).rows;

  it.each([
    ['UPDATE', `UPDATE es_events SET data = '{"montant": 1}'::jsonb`],
    ['DELETE', 'DELETE FROM es_events'],
    ['TRUNCATE', 'TRUNCATE es_events'],
  ])('%s est refusé et ne change rien', async (op, statement) => {
    const before = await rows();
    expect(before).toHaveLength(1);
    await expect(db.client.query(statement)).rejects.toThrow(new RegExp(`ajout seul : ${op} refusé`));
    expect(await rows()).toEqual(before);
  });

  it('les ajouts restent possibles', async () => {
    await store.appendToStream(
      'dossier-FINSAS000001',
      [
        {
          type: 'AvancePaymentRecorded',
          data: {},
          metadata: { actor: { id: 'test', role: 'gestionnaire' }, correlationId: 'c2', causationId: null },
        },
      ],
      { expectedVersion: 1 },
    );
    expect(await rows()).toHaveLength(2);
  });
});
