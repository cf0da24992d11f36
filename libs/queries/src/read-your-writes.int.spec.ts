import { createTestSqlClient, type RecordedEvent, type TestSqlClient } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import { migrateProjections, quarantineInTx, recordFailing } from '@segur/projections';
import { ReadYourWrites } from './read-your-writes';

const event = (position: string, type = 'AvanceImported'): RecordedEvent => ({
  id: `ev-${position}`,
  type,
  schemaVersion: 1,
  streamId: 'dossier-FINSAS000777',
  streamVersion: 1,
  position,
  recordedAt: '2026-03-02T09:00:00.000Z',
  data: {},
  metadata: { actor: { id: 't', role: 'system' }, correlationId: 'c', causationId: null },
});

const failure = (attempts: number) => ({
  eventId: 'x',
  attempts,
  firstFailureAt: new Date('2026-03-02T09:00:00Z'),
  lastFailureAt: new Date('2026-03-02T09:01:00Z'),
  lastError: 'colonne suivi invalide',
});

const refusalOf = async (p: Promise<unknown>): Promise<Refusal> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('aucun refus');
};

describe(`X-Min-Position says why it cannot wait (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  beforeAll(async () => {
    t = await createTestSqlClient('ryw_quar');
    await migrateProjections(t.client, []);
    await t.client.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ('suivi', '00000000000000000010')`,
    );
  });
  afterAll(() => t.teardown());
  // No wait at all: the refusals are what the test looks at.
  const reader = (): ReadYourWrites => new ReadYourWrites(t.client, 0, 1);

  it('a projection behind with nothing failing: LECTURE_EN_RETARD', async () => {
    const r = await refusalOf(reader().waitFor('00000000000000000020', ['suivi']));
    expect([r.kind, r.code]).toEqual(['unavailable', 'LECTURE_EN_RETARD']);
  });

  it('a projection retrying an event: VUE_BLOQUEE, naming the event, its attempts and its error', async () => {
    await recordFailing(t.client, 'suivi', event('00000000000000000011'), failure(3));
    const r = await refusalOf(reader().waitFor('00000000000000000020', ['suivi']));
    expect([r.kind, r.code]).toEqual(['unavailable', 'VUE_BLOQUEE']);
    expect(r.message).toContain(
      'la vue « suivi » est bloquée sur l’événement AvanceImported du flux dossier-FINSAS000777',
    );
    expect(r.message).toContain('3 essai(s)');
    expect(r.message).toContain('colonne suivi invalide');
    await t.client.query('DELETE FROM projection_quarantine');
  });

  it('the projection past the position but the event quarantined: EVENEMENT_EN_QUARANTAINE', async () => {
    await t.client.transaction((tx) =>
      quarantineInTx(tx, 'suivi', event('00000000000000000009', 'SoldeImported'), failure(5)),
    );
    const r = await refusalOf(reader().waitFor('00000000000000000009', ['suivi']));
    expect([r.kind, r.code]).toEqual(['unavailable', 'EVENEMENT_EN_QUARANTAINE']);
    expect(r.message).toContain('est en quarantaine');
    // Another position of the same projection reads normally.
    await expect(reader().waitFor('00000000000000000008', ['suivi'])).resolves.toBeUndefined();
  });
});
