import { register } from 'prom-client';
import { DEFAULT_COULOIRS, createDossierDecider, dossierStreamId, type DossierEvent } from '@segur/domain';
import { InMemoryEventStore, type EventStore, type SqlClient } from '@segur/event-store';
import { silentLogger } from '@segur/kernel';
import {
  ACTORS,
  POULAT,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  command,
} from '../../../domain/src/testing/seed-fixtures';
import { newCommandContext } from './command-context';
import { CommandPipeline } from './command-pipeline';
import type { PlannedCommand } from './many-dossiers.pipeline';

const META = { actor: { id: 'seed', role: 'system' }, correlationId: 'seed', causationId: null };
const numero = (n: number): string => `FINSAS${String(800_000 + n)}`;
const enCours = (numeroAsp: string): DossierEvent[] =>
  JSON.parse(JSON.stringify(POULAT_SOLDE_EN_COURS).replaceAll(POULAT.numeroAsp, numeroAsp)) as DossierEvent[];

const request = (numeroAsp: string, commentaire = 'test modif'): PlannedCommand => ({
  command: command(
    'RequestModification',
    { numeroAsp, commentaire, reminderAfter: 'P10D', expiryAfter: 'P20D' },
    ACTORS.gestionnaire,
    POULAT_AT.modificationRequest,
  ),
  context: newCommandContext(),
});
const submit = (numeroAsp: string): PlannedCommand => ({
  command: command('SubmitModification', { numeroAsp }, ACTORS.poulat, POULAT_AT.submit),
  context: newCommandContext(),
});

/** A command-log row as the statement writes it (see recordCommandsInBulk). */
interface LoggedRow {
  id: string;
  stream_id: string;
  outcome: string;
  error_code: string | null;
  stream_version: number | null;
  decided_at: string;
}

const counted = async (name: string): Promise<number> =>
  ((await register.getSingleMetric(name)?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);

describe('CommandPipeline: many dossiers at once', () => {
  const decider = createDossierDecider(DEFAULT_COULOIRS);
  let store: InMemoryEventStore;
  let logged: LoggedRow[];
  const sql = {
    query: async (text: string, params?: readonly unknown[]) => {
      if (text.includes('INSERT INTO command_log'))
        logged.push(...(JSON.parse(params?.[0] as string) as LoggedRow[]));
      return { rows: [], rowCount: 0 };
    },
  } as unknown as SqlClient;
  const pipelineOn = (on: EventStore = store) =>
    new CommandPipeline({ store: on, sql, decider, logger: silentLogger });

  const seed = async (numeroAsp: string): Promise<void> => {
    await store.appendToStream(
      dossierStreamId(numeroAsp),
      enCours(numeroAsp).map((e) => ({ type: e.type, data: e.data, metadata: META })),
      { expectedVersion: 'no_stream' },
    );
  };

  beforeEach(() => {
    store = new InMemoryEventStore();
    logged = [];
  });

  it("decides a dossier's commands in batch order on one evolving state, and logs each with its own version", async () => {
    const [a, b] = [numero(1), numero(2)];
    await seed(a);
    await seed(b);
    const planned = [request(a), request(b), submit(a), submit(b), request(a, '')];

    const outcomes = await pipelineOn().executeMany(planned, { maxAttempts: 1 });

    expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'refused']);
    // Submit saw the request of the same batch; the empty comment was refused on the state after it.
    expect((await store.readStream(dossierStreamId(a))).map((e) => e.type).slice(3)).toEqual([
      'ModificationRequested',
      'ModificationSubmitted',
    ]);
    expect(logged.map((e) => [e.id, e.outcome, e.error_code, e.stream_version])).toEqual([
      [planned[0]?.context.commandId, 'accepted', null, 4],
      [planned[1]?.context.commandId, 'accepted', null, 4],
      [planned[2]?.context.commandId, 'accepted', null, 5],
      [planned[3]?.context.commandId, 'accepted', null, 5],
      // The version it was decided on (the request and the submit of the batch included), so that
      // the replay folds the very state the refusal saw.
      [planned[4]?.context.commandId, 'refused', 'COMMENTAIRE_OBLIGATOIRE', 5],
    ]);
    expect(logged.map((e) => e.decided_at)).toEqual(planned.map((p) => p.command.at));
  });

  it('reads a stream that moved again, up to maxAttempts, then ends its commands as conflict (nothing appended)', async () => {
    const a = numero(3);
    await seed(a);
    // Every append of `a` meets a writer that got in first.
    const racing: EventStore = Object.assign(Object.create(store) as EventStore, {
      appendMany: async (items: Parameters<EventStore['appendMany']>[0]) => {
        for (const item of items)
          await store.appendToStream(
            item.streamId,
            [{ type: 'RecoveryOrderIssued', data: { numeroAsp: a }, metadata: META }],
            { expectedVersion: 'any' },
          );
        return store.appendMany(items);
      },
    });

    const [outcome] = await pipelineOn(racing).executeMany([request(a)], { maxAttempts: 3 });

    expect(outcome).toEqual({ kind: 'conflict' });
    expect((await store.readStream(dossierStreamId(a))).map((e) => e.type).slice(3)).toEqual([
      'RecoveryOrderIssued',
      'RecoveryOrderIssued',
      'RecoveryOrderIssued',
    ]);
    expect(logged).toMatchObject([{ outcome: 'conflict', error_code: 'CONFLIT_VERSION' }]);
  });

  it('counts what it appends in the same metric as the one-dossier path', async () => {
    const [a, b] = [numero(4), numero(5)];
    await seed(a);
    await seed(b);
    const before = await counted('segur_events_appended_total');

    await pipelineOn().executeMany([request(a)], { maxAttempts: 1 });
    await pipelineOn().execute(request(b).command, newCommandContext());

    expect((await counted('segur_events_appended_total')) - before).toBe(2);
  });
});
