import { CommandPipeline } from '@segur/commands';
import { DEFAULT_COULOIRS, createDossierDecider, dossierStreamId, type DossierEvent } from '@segur/domain';
import { InMemoryEventStore, type EventStore, type SqlClient } from '@segur/event-store';
import { silentLogger } from '@segur/kernel';
import type { BatchContext, Deadline } from '@segur/scheduling';
import { POULAT, POULAT_A_MODIFIER } from '../../../domain/src/testing/seed-fixtures';
import { FireDueDeadlinesCommand } from './fire-due-deadlines.command';
import { FireDueDeadlinesHandler } from './fire-due-deadlines.handler';

/** A command-log row as the statement writes it (see recordCommandsInBulk). */
interface LoggedRow {
  id: string;
  type: string;
  stream_id: string;
  outcome: string;
  error_code: string | null;
  stream_version: number | null;
  actor: unknown;
}

// POULAT's round M1: reminder due 2023-08-17T08:00Z, expiry 2023-08-27T08:00Z.
const AFTER_REMINDER = '2023-08-18T00:00:00.000Z';
const AFTER_EXPIRY = '2023-08-28T00:00:00.000Z';

const META = { actor: { id: 'test', role: 'system' }, correlationId: 'test', causationId: null };
const numero = (n: number): string => `FINSAS${String(900_000 + n)}`;
const aModifier = (numeroAsp: string): DossierEvent[] =>
  JSON.parse(JSON.stringify(POULAT_A_MODIFIER).replaceAll(POULAT.numeroAsp, numeroAsp)) as DossierEvent[];

const deadline = (numeroAsp: string, kind: Deadline['kind'], dueAt: string): Deadline => ({
  jobId: `${kind === 'REMINDER' ? 'reminder' : 'expiry'}-${numeroAsp}-M1`,
  numeroAsp,
  version: 'M1',
  kind,
  dueAt,
});

describe('FireDueDeadlinesHandler', () => {
  const decider = createDossierDecider(DEFAULT_COULOIRS);
  let store: InMemoryEventStore;
  let logged: LoggedRow[];
  let appendManyCalls: number;

  const seed = async (numeroAsp: string): Promise<void> => {
    await store.appendToStream(
      dossierStreamId(numeroAsp),
      aModifier(numeroAsp).map((e) => ({ type: e.type, data: e.data, metadata: META })),
      { expectedVersion: 'no_stream' },
    );
  };

  /** The command log and the database clock of a SQL client, without a database. */
  const sqlAt = (at: string): SqlClient =>
    ({
      query: async (text: string, params?: readonly unknown[]) => {
        if (text.includes('INSERT INTO command_log'))
          logged.push(...(JSON.parse(params?.[0] as string) as LoggedRow[]));
        return { rows: [{ now: at }], rowCount: 1 };
      },
    }) as unknown as SqlClient;

  const firerAt =
    (at: string, over: Partial<EventStore> = {}) =>
    (deadlines: readonly Deadline[], context?: BatchContext) => {
      const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
        appendMany: (items: Parameters<EventStore['appendMany']>[0]) => {
          appendManyCalls += 1;
          return store.appendMany(items);
        },
        ...over,
      });
      const sql = sqlAt(at);
      const pipeline = new CommandPipeline({ store: counted, sql, decider, logger: silentLogger });
      return new FireDueDeadlinesHandler(pipeline, counted, sql).execute(
        new FireDueDeadlinesCommand(deadlines, context, undefined),
      );
    };

  beforeEach(() => {
    store = new InMemoryEventStore();
    logged = [];
    appendManyCalls = 0;
  });

  it('decides every deadline on one read and appends them all in one appendMany, as the planificateur', async () => {
    const numeros = [1, 2, 3].map(numero);
    for (const n of numeros) await seed(n);
    const batch = numeros.map((n) => deadline(n, 'REMINDER', '2023-08-17T08:00:00.000Z'));

    const outcomes = await firerAt(AFTER_REMINDER)(batch);

    expect([...outcomes.values()]).toEqual(['fired', 'fired', 'fired']);
    expect(appendManyCalls).toBe(1);
    for (const n of numeros) {
      const events = await store.readStream(dossierStreamId(n));
      expect(events).toHaveLength(5);
      const sent = events[4];
      expect(sent).toMatchObject({
        type: 'ModificationReminderSent',
        data: { numeroAsp: n, version: 'M1', sentAt: AFTER_REMINDER },
        metadata: {
          actor: { id: 'planificateur', role: 'system' },
          correlationId: `echeance-reminder-${n}-M1`,
        },
      });
      // As for every command: caused by the command itself, whose id is in the log.
      const commandId = sent?.metadata.commandId as string;
      expect(sent?.metadata.causationId).toBe(commandId);
      expect(logged.find((e) => e.id === commandId)).toMatchObject({
        type: 'SendModificationReminder',
        stream_id: dossierStreamId(n),
        outcome: 'accepted',
        stream_version: 5,
        actor: { id: 'planificateur', role: 'system' },
      });
    }
  });

  it("decides at the claim's database clock when the scheduler gives it (no clock query)", async () => {
    const n = numero(10);
    await seed(n);
    const d = deadline(n, 'REMINDER', '2023-08-17T08:00:00.000Z');
    const claimedAt = '2023-08-17T08:00:01.000Z';

    const outcomes = await firerAt('1999-01-01T00:00:00.000Z')([d], { claimedAt });

    expect(outcomes.get(d.jobId)).toBe('fired');
    expect((await store.readStream(dossierStreamId(n)))[4]?.data).toMatchObject({ sentAt: claimedAt });
  });

  it('appends nothing when the same deadline fires again (reminder already sent): noop, logged unchanged', async () => {
    const n = numero(4);
    await seed(n);
    const d = deadline(n, 'REMINDER', '2023-08-17T08:00:00.000Z');
    await firerAt(AFTER_REMINDER)([d]);
    logged = [];

    const again = await firerAt(AFTER_REMINDER)([d]);

    expect(again.get(d.jobId)).toBe('noop');
    expect(await store.streamVersion(dossierStreamId(n))).toBe(5);
    expect(logged).toMatchObject([{ outcome: 'unchanged', stream_version: 5, error_code: null }]);
  });

  it("decides a dossier's reminder and expiry in due order on one state (reminder moot once J+20 is reached)", async () => {
    const n = numero(5);
    await seed(n);
    const reminder = deadline(n, 'REMINDER', '2023-08-17T08:00:00.000Z');
    const expiry = deadline(n, 'EXPIRY', '2023-08-27T08:00:00.000Z');

    const outcomes = await firerAt(AFTER_EXPIRY)([expiry, reminder]);

    expect(outcomes.get(reminder.jobId)).toBe('noop');
    expect(outcomes.get(expiry.jobId)).toBe('fired');
    const types = (await store.readStream(dossierStreamId(n))).map((e) => e.type);
    expect(types.slice(4)).toEqual(['ModificationExpired']);
  });

  it('refuses an early deadline (retry) and an unknown dossier (noop), appending nothing', async () => {
    const n = numero(6);
    await seed(n);
    const early = deadline(n, 'EXPIRY', '2023-08-27T08:00:00.000Z');
    const unknown = deadline(numero(7), 'REMINDER', '2023-08-17T08:00:00.000Z');

    const outcomes = await firerAt(AFTER_REMINDER)([early, unknown]);

    expect(outcomes.get(early.jobId)).toBe('retry');
    expect(outcomes.get(unknown.jobId)).toBe('noop');
    expect(appendManyCalls).toBe(0);
    expect(logged.map((e) => [e.outcome, e.error_code]).sort()).toEqual([
      ['refused', 'DOSSIER_INCONNU'],
      ['refused', 'ECHEANCE_NON_ATTEINTE'],
    ]);
  });

  it('reads and decides again only the stream that moved since it was read', async () => {
    const [a, b] = [numero(8), numero(9)];
    await seed(a);
    await seed(b);
    // A gestionnaire's command lands on `b` between the batch's first read and its append.
    let raced = false;
    const racing: Partial<EventStore> = {
      readStreams: async (ids) => {
        const read = await store.readStreams(ids);
        if (!raced) {
          raced = true;
          await store.appendToStream(
            dossierStreamId(b),
            [{ type: 'ModificationDraftEdited', data: { numeroAsp: b, version: 'M1' }, metadata: META }],
            { expectedVersion: 4 },
          );
        }
        return read;
      },
    };
    const da = deadline(a, 'REMINDER', '2023-08-17T08:00:00.000Z');
    const db = deadline(b, 'REMINDER', '2023-08-17T08:00:00.000Z');

    const outcomes = await firerAt(AFTER_REMINDER, racing)([da, db]);

    expect(outcomes.get(da.jobId)).toBe('fired');
    expect(outcomes.get(db.jobId)).toBe('fired');
    expect(appendManyCalls).toBe(2);
    expect((await store.readStream(dossierStreamId(b))).map((e) => e.type).slice(4)).toEqual([
      'ModificationDraftEdited',
      'ModificationReminderSent',
    ]);
    // One entry per command, each with the version its own append reached.
    expect(logged.map((e) => [e.stream_id, e.outcome, e.stream_version])).toEqual([
      [dossierStreamId(a), 'accepted', 5],
      [dossierStreamId(b), 'accepted', 6],
    ]);
  });
});
