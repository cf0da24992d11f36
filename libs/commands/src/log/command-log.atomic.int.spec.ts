import { register } from 'prom-client';
import { DEFAULT_COULOIRS, createDossierDecider, dossierStreamId, type DossierEvent } from '@segur/domain';
import {
  InMemoryEventStore,
  PostgresEventStore,
  createTestSqlClient,
  migrateEventStore,
  type EventStore,
  type TestSqlClient,
} from '@segur/event-store';
import { silentLogger } from '@segur/kernel';
import {
  ACTORS,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  command,
} from '../../../domain/src/testing/seed-fixtures';
import { newCommandContext } from '../pipeline/command-context';
import { CommandPipeline } from '../pipeline/command-pipeline';
import type { PlannedCommand } from '../pipeline/many-dossiers.pipeline';
import { COMMAND_LOG_MIGRATIONS } from './command-log';

// The command log and the events must not diverge: on a SQL store (PGlite here, PostgreSQL when
// TEST_DATABASE_URL is set) a failed log write rolls the append back on every path; on a store
// that cannot share the transaction, the command stands and the lost entry is counted.
const META = { actor: { id: 'seed', role: 'system' }, correlationId: 'seed', causationId: null };
const FAILING = 'journal-en-panne';
const numero = (n: number): string => `FINSAS${String(810_000 + n)}`;
const enCours = (numeroAsp: string): DossierEvent[] =>
  JSON.parse(JSON.stringify(POULAT_SOLDE_EN_COURS).replaceAll(POULAT.numeroAsp, numeroAsp)) as DossierEvent[];
const request = (numeroAsp: string, correlationId: string): PlannedCommand => ({
  command: command(
    'RequestModification',
    { numeroAsp, commentaire: 'à compléter', reminderAfter: 'P10D', expiryAfter: 'P20D' },
    ACTORS.gestionnaire,
    POULAT_AT.modificationRequest,
  ),
  context: newCommandContext({ correlationId }),
});
const failures = async (): Promise<number> =>
  ((await register.getSingleMetric('segur_command_log_failures_total')?.get())?.values ?? []).reduce(
    (n, v) => n + v.value,
    0,
  );

describe('command log and events commit together', () => {
  const decider = createDossierDecider(DEFAULT_COULOIRS);
  let db: TestSqlClient;
  let sqlStore: PostgresEventStore;

  beforeEach(async () => {
    db = await createTestSqlClient('cmdlog_atomic');
    await migrateEventStore(db.client);
    for (const statement of COMMAND_LOG_MIGRATIONS) await db.client.query(statement);
    // A log write that fails, as a full disk, a lost connection or a bad row would.
    await db.client.query(`CREATE FUNCTION refuse_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.correlation_id = '${FAILING}' THEN RAISE EXCEPTION 'journal des commandes en panne'; END IF;
        RETURN NEW;
      END $$`);
    await db.client.query(
      'CREATE TRIGGER refuse_log BEFORE INSERT ON command_log FOR EACH ROW EXECUTE FUNCTION refuse_log()',
    );
    sqlStore = new PostgresEventStore(db.client);
  });
  afterEach(async () => {
    await sqlStore.close();
    await db.teardown();
  });

  const seed = async (store: EventStore, numeroAsp: string): Promise<void> => {
    await store.appendToStream(
      dossierStreamId(numeroAsp),
      enCours(numeroAsp).map((e) => ({ type: e.type, data: e.data, metadata: META })),
      { expectedVersion: 'no_stream' },
    );
  };
  const versionOf = async (store: EventStore, numeroAsp: string): Promise<number> =>
    (await store.readStream(dossierStreamId(numeroAsp))).length;
  const logged = async (): Promise<number> =>
    Number((await db.client.query<{ n: string }>('SELECT count(*) AS n FROM command_log')).rows[0]?.n);
  const pipeline = (store: EventStore) =>
    new CommandPipeline({ store, sql: db.client, decider, logger: silentLogger });

  it('an import chunk (many dossiers, no caller transaction): a failed log write rolls back every append of the chunk', async () => {
    const [a, b] = [numero(1), numero(2)];
    await seed(sqlStore, a);
    await seed(sqlStore, b);
    const before = [await versionOf(sqlStore, a), await versionOf(sqlStore, b)];

    await expect(
      pipeline(sqlStore).executeMany([request(a, 'ok'), request(b, FAILING)], { maxAttempts: 1 }),
    ).rejects.toThrow(/journal des commandes en panne/);

    expect([await versionOf(sqlStore, a), await versionOf(sqlStore, b)]).toEqual(before);
    expect(await logged()).toBe(0);
    // And with a working log the same chunk goes in, events and entries together.
    const outcomes = await pipeline(sqlStore).executeMany([request(a, 'ok'), request(b, 'ok')], {
      maxAttempts: 1,
    });
    expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted']);
    expect([await versionOf(sqlStore, a), await versionOf(sqlStore, b)]).toEqual(before.map((v) => v + 1));
    expect(await logged()).toBe(2);
  });

  it('one dossier (HTTP, CLI, a straggling timer): a failed log write rolls the append back', async () => {
    const a = numero(3);
    await seed(sqlStore, a);
    const { command: c, context } = request(a, FAILING);

    await expect(pipeline(sqlStore).execute(c, context)).rejects.toThrow(/journal des commandes en panne/);

    expect(await versionOf(sqlStore, a)).toBe(enCours(a).length);
    expect(await logged()).toBe(0);
  });

  it('a store that cannot share the transaction (memory, EventStoreDB): the command stands, the lost entry is counted', async () => {
    const memory = new InMemoryEventStore();
    const [a, b] = [numero(4), numero(5)];
    await seed(memory, a);
    await seed(memory, b);
    const before = await failures();

    const { command: c, context } = request(a, FAILING);
    await pipeline(memory).execute(c, context);
    await pipeline(memory).executeMany([request(b, FAILING)], { maxAttempts: 1 });

    expect(await versionOf(memory, a)).toBe(enCours(a).length + 1);
    expect(await versionOf(memory, b)).toBe(enCours(b).length + 1);
    expect(await failures()).toBe(before + 2);
    expect(await logged()).toBe(0);
  });
});
