import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import { PostgresEventStore, type PagesOptions } from './postgres.event-store';
import { migrate } from './postgres.migrations';

const metadata: EventMetadata = {
  actor: { id: 'gest-1', role: 'gestionnaire' },
  correlationId: 'corr-1',
  causationId: null,
  commandId: 'cmd-1',
};

describe(`subscribeToAllPages (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: PostgresEventStore;

  beforeAll(async () => {
    t = await createTestSqlClient('es_pages');
    await migrate(t.client);
    store = new PostgresEventStore(t.client);
    await store.appendToStream(
      'dossier-FINSAS000001',
      [1, 2, 3].map((n) => ({ type: 'Noted', data: { n }, metadata })),
      { expectedVersion: 'no_stream' },
    );
  });
  afterAll(async () => {
    await store.close();
    await t.teardown();
  });

  /** Every event appended, read in pages of two. */
  const readAll = async (options: PagesOptions): Promise<RecordedEvent[]> => {
    const stop = new AbortController();
    const events: RecordedEvent[] = [];
    for await (const page of store.subscribeToAllPages({ ...options, batchSize: 2, signal: stop.signal })) {
      events.push(...page);
      if (events.length >= 3) stop.abort();
    }
    return events;
  };

  it('reads the whole metadata by default', async () => {
    const events = await readAll({});
    expect(events.map((e) => e.metadata)).toEqual([metadata, metadata, metadata]);
  });

  it('reads only the metadata keys asked for, the rest of each event unchanged', async () => {
    const full = await readAll({});
    const events = await readAll({ metadataKeys: ['actor', 'correlationId'] });
    expect(events.map((e) => e.metadata)).toEqual(
      [1, 2, 3].map(() => ({ actor: metadata.actor, correlationId: 'corr-1' })),
    );
    expect(events.map(({ metadata: _, ...rest }) => rest)).toEqual(
      full.map(({ metadata: _, ...rest }) => rest),
    );
    expect((await readAll({ metadataKeys: [] })).map((e) => e.metadata)).toEqual([{}, {}, {}]);
  });

  it('refuses a metadata key that is not a plain identifier', async () => {
    await expect(readAll({ metadataKeys: ["actor' || '"] })).rejects.toThrow(/Clé de métadonnées invalide/);
  });
});
