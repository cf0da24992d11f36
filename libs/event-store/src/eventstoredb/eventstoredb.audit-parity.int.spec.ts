import type { NewEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres.event-store';
import { migrate } from '../postgres/postgres.migrations';
import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';
import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { FakeCluster } from './eventstoredb.fake-cluster';

// The same events (same ids) appended to the SQL store (PostgreSQL with TEST_DATABASE_URL, PGlite
// otherwise: its trigger computes the hash) and to the EventStoreDB store on the stubbed cluster
// (no ESDB server here: the links computed in JS, carried in `$audit`): the chains must be equal,
// or a dossier moved from one store to the other would no longer verify against its checkpoints.

const metadata = { actor: { id: 'agent', role: 'gestionnaire' }, correlationId: 'c1', causationId: 'k' };
const ev = (n: number, type: string, data: unknown, schemaVersion?: number): NewEvent => ({
  id: `0190c000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type,
  data,
  metadata,
  ...(schemaVersion === undefined ? {} : { schemaVersion }),
});

describe('chaîne de hachage : EventStoreDB et PostgreSQL calculent les mêmes liens', () => {
  let db: TestSqlClient;
  let pg: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestSqlClient('esdbparity');
    await migrate(db.client);
    pg = new PostgresEventStore(db.client);
  });

  afterAll(async () => {
    await pg.close();
    await db.teardown();
  });

  it('mêmes prevHash et hash, version par version, par appends simples et appendMany', async () => {
    const cluster = new FakeCluster();
    const esdb = new EventStoreDbEventStore(cluster.client());
    const streamId = 'dossier-FINSAS000777';
    for (const store of [pg, esdb]) {
      await store.appendToStream(
        streamId,
        [ev(1, 'AvanceImported', { montant: 1000, lignes: [{ b: 1, a: 'é"\\\u2028' }] })],
        { expectedVersion: 'no_stream' },
      );
      await store.appendToStream(streamId, [ev(2, 'B', null), ev(3, 'C', { '10': 1, '2': 2 }, 2)], {
        expectedVersion: 'any',
      });
      await store.appendMany([{ streamId, events: [ev(4, 'D', { x: 1.5e21 })], expectedVersion: 3 }]);
    }
    const fromPg = await pg.auditLog().readChain(streamId);
    const fromEsdb = await esdb.auditLog().readChain(streamId);
    expect(fromPg).toHaveLength(4);
    expect(fromEsdb.map((e) => [e.streamVersion, e.prevHash, e.hash])).toEqual(
      fromPg.map((e) => [e.streamVersion, e.prevHash, e.hash]),
    );
  });
});
