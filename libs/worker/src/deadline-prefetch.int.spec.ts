import { DEFAULT_COULOIRS, createDossierDecider, dossierStreamId, type DossierEvent } from '@segur/domain';
import {
  PostgresEventStore,
  createTestSqlClient,
  migrateEventStore,
  type EventStore,
  type JoinsTransactions,
  type SqlClient,
  type StoreTransaction,
  type TestSqlClient,
} from '@segur/event-store';
import { DEADLINES_MIGRATIONS, fireDueBatch } from '@segur/scheduling';
import { POULAT, POULAT_A_MODIFIER } from '../../domain/src/testing/seed-fixtures';
import type { CommandBus } from '@nestjs/cqrs';
import { COMMAND_LOG_MIGRATIONS, CommandPipeline } from '@segur/commands';
import { silentLogger } from '@segur/kernel';
import type { DeadlinePrefetch } from './deadline-prefetch';
import { createDeadlineFirers } from './deadlines/deadline-firers';
import { FireDueDeadlinesCommand } from './deadlines/fire-due-deadlines.command';
import { FireDueDeadlinesHandler } from './deadlines/fire-due-deadlines.handler';

const META = { actor: { id: 'test', role: 'system' }, correlationId: 'test', causationId: null };
const DAY = 86_400_000;
let sequence = 0;
const nextNumero = (): string => `FINSAS${String(700_000 + (process.pid % 1000) * 100 + ++sequence)}`;

/** A dossier sent back for modification, its J+10 reminder due a minute ago (by the Node clock). */
const aModifier = (numeroAsp: string): DossierEvent[] => {
  const due = Date.now() - 60_000;
  return (
    JSON.parse(JSON.stringify(POULAT_A_MODIFIER).replaceAll(POULAT.numeroAsp, numeroAsp)) as DossierEvent[]
  ).map((e) =>
    e.type === 'ModificationRequested'
      ? {
          ...e,
          data: {
            ...e.data,
            requestedAt: new Date(due - 10 * DAY).toISOString(),
            reminderDueAt: new Date(due).toISOString(),
            expiresAt: new Date(due + 10 * DAY).toISOString(),
          },
        }
      : e,
  );
};

// The prefetch (PGlite, or PostgreSQL when TEST_DATABASE_URL is set): a state folded ahead is used
// only while its stream is still at the folded version, and a firing decides exactly as on a fresh read.
describe('DeadlinePrefetch with the batch firer', () => {
  let db: TestSqlClient;
  let sql: SqlClient;
  let store: PostgresEventStore;
  let prefetch: DeadlinePrefetch;
  let fire: () => ReturnType<typeof fireDueBatch>;
  /** Stream ids each joined readStreamsToDecide was asked for (the firer's and the prefetch's reads). */
  let reads: string[][];

  beforeAll(async () => {
    db = await createTestSqlClient('prefetch');
    sql = db.client;
    await migrateEventStore(sql);
    for (const ddl of [...DEADLINES_MIGRATIONS, ...COMMAND_LOG_MIGRATIONS]) await sql.query(ddl);
    store = new PostgresEventStore(sql);
    const counted = Object.assign(Object.create(store) as EventStore & JoinsTransactions, {
      joinTransaction: (tx: Parameters<PostgresEventStore['joinTransaction']>[0]): StoreTransaction => {
        const joined = store.joinTransaction(tx);
        return Object.assign(Object.create(joined) as StoreTransaction, joined, {
          readStreamsToDecide: (ids: readonly string[]) => {
            reads.push([...ids]);
            return joined.readStreamsToDecide(ids);
          },
        });
      },
    });
    const decider = createDossierDecider(DEFAULT_COULOIRS);
    const pipeline = new CommandPipeline({ store: counted, sql, decider, logger: silentLogger });
    const handler = new FireDueDeadlinesHandler(pipeline, counted, sql);
    // The batch firer's only command; the one-deadline path is not used here.
    const bus = {
      execute: async (c: unknown) =>
        c instanceof FireDueDeadlinesCommand ? handler.execute(c) : Promise.reject(new Error('pas ici')),
    } as unknown as Pick<CommandBus, 'execute'>;
    const firers = createDeadlineFirers({ sql, store: counted, decider, bus });
    if (!firers.prefetch) throw new Error('no prefetch on a store that joins transactions');
    prefetch = firers.prefetch;
    fire = () => fireDueBatch(sql, { batchFirer: firers.batchFirer, limit: 100 });
  });
  afterAll(async () => {
    await store.close();
    await db.teardown();
  });
  beforeEach(() => {
    reads = [];
  });

  /** A dossier in A_MODIFIER and its reminder row, due in a minute (database clock). */
  const seed = async (): Promise<{ numeroAsp: string; streamId: string; jobId: string }> => {
    const numeroAsp = nextNumero();
    const streamId = dossierStreamId(numeroAsp);
    await store.appendToStream(
      streamId,
      aModifier(numeroAsp).map((e) => ({ type: e.type, data: e.data, metadata: META })),
      { expectedVersion: 'no_stream' },
    );
    const jobId = `reminder-${numeroAsp}-M1`;
    await sql.query(
      `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
       VALUES ($1, $2, 'M1', 'REMINDER', now() + interval '1 minute', 'test')`,
      [jobId, numeroAsp],
    );
    return { numeroAsp, streamId, jobId };
  };

  /** The time the test does not wait for: the row falls due. */
  const fallsDue = (jobId: string) =>
    sql.query(`UPDATE deadlines SET due_at = now() - interval '1 second' WHERE job_id = $1`, [jobId]);

  const types = async (streamId: string): Promise<string[]> =>
    (await store.readStream(streamId)).map((e) => e.type);

  const status = async (jobId: string): Promise<string | undefined> =>
    (await sql.query<{ status: string }>('SELECT status FROM deadlines WHERE job_id = $1', [jobId])).rows[0]
      ?.status;

  test('a prefetched state still current is decided on without reading the stream; the entry is dropped once fired', async () => {
    const d = await seed();
    await prefetch.pass();
    expect(prefetch.get(d.streamId)).toMatchObject({ version: 4 });
    expect(reads.flat()).toContain(d.streamId);
    reads = [];
    const hits = prefetch.stats.hits;
    await fallsDue(d.jobId);

    const report = await fire();

    expect(report.outcomes.get(d.jobId)).toBe('fired');
    expect(reads.flat()).not.toContain(d.streamId);
    expect(prefetch.stats.hits).toBe(hits + 1);
    const events = await store.readStream(d.streamId);
    expect(events.map((e) => e.type)).toEqual([
      ...POULAT_A_MODIFIER.map((e) => e.type),
      'ModificationReminderSent',
    ]);
    expect(events[4]?.streamVersion).toBe(5);
    expect(await status(d.jobId)).toBe('FIRED');
    expect(prefetch.get(d.streamId)).toBeUndefined();
  });

  test('a stream that moved after the prefetch (modification submitted) is read again: no reminder, noop', async () => {
    const d = await seed();
    await prefetch.pass();
    expect(prefetch.get(d.streamId)).toMatchObject({ version: 4 });
    await store.appendToStream(
      d.streamId,
      [
        {
          type: 'ModificationSubmitted',
          data: {
            numeroAsp: d.numeroAsp,
            version: 'M1',
            changes: [],
            piecesAdded: [],
            submittedAt: new Date().toISOString(),
          },
          metadata: META,
        },
      ],
      { expectedVersion: 4 },
    );
    reads = [];
    const stale = prefetch.stats.stale;
    await fallsDue(d.jobId);

    const report = await fire();

    expect(report.outcomes.get(d.jobId)).toBe('noop');
    expect(reads.flat()).toContain(d.streamId);
    expect(prefetch.stats.stale).toBe(stale + 1);
    expect(await types(d.streamId)).toEqual([
      ...POULAT_A_MODIFIER.map((e) => e.type),
      'ModificationSubmitted',
    ]);
    expect(await status(d.jobId)).toBe('CANCELLED');
  });

  test('a batch mixes prefetched, stale and unheld streams, each decided as on a fresh read', async () => {
    const held = await seed();
    const moved = await seed();
    await prefetch.pass();
    const unheld = await seed();
    // The reminder already sent by someone else since the prefetch: the firing must not send another.
    await store.appendToStream(
      moved.streamId,
      [
        {
          type: 'ModificationReminderSent',
          data: { numeroAsp: moved.numeroAsp, version: 'M1', sentAt: new Date().toISOString() },
          metadata: META,
        },
      ],
      { expectedVersion: 4 },
    );
    reads = [];
    for (const d of [held, moved, unheld]) await fallsDue(d.jobId);

    const report = await fire();

    expect(report.outcomes.get(held.jobId)).toBe('fired');
    expect(report.outcomes.get(moved.jobId)).toBe('noop');
    expect(report.outcomes.get(unheld.jobId)).toBe('fired');
    expect(reads.flat().sort()).toEqual([moved.streamId, unheld.streamId].sort());
    for (const d of [held, moved, unheld])
      expect((await types(d.streamId)).filter((t) => t === 'ModificationReminderSent')).toHaveLength(1);
  });
});
