import type { DossierCommand, DossierDecider, DossierEvent, DossierState } from '@segur/domain';
import { InMemoryEventStore } from '@segur/event-store';
import type { CommandLog } from '../log/command-log';
import type { CommandLogEntry } from '../log/command-log-entry';
import { newCommandContext } from './command-context';
import { DomainRefusalError } from './command.errors';
import { OneDossierPipeline } from './one-dossier.pipeline';

// Two services on one store stand for two API instances: each one's state cache goes stale when the
// other writes. A toy decider (a counter) keeps the cases readable.
type Counter = { n: number };
const decider = {
  initialState: () => ({ n: 0 }) as unknown as DossierState,
  evolve: (s: DossierState) => ({ n: (s as unknown as Counter).n + 1 }) as unknown as DossierState,
  decide: (c: DossierCommand, s: DossierState) => {
    const atLeast = (c.data as { atLeast?: number }).atLeast ?? 0;
    return (s as unknown as Counter).n < atLeast
      ? { ok: false, error: { code: 'TROP_TOT', message: 'trop tôt' } }
      : { ok: true, value: [{ type: 'Ticked', data: {} } as unknown as DossierEvent] };
  },
} as unknown as DossierDecider;
const tick = (atLeast?: number): DossierCommand =>
  ({
    type: 'Tick',
    data: { numeroAsp: 'N1', ...(atLeast !== undefined ? { atLeast } : {}) },
    actor: { id: 't', role: 'gestionnaire' },
    at: '2026-01-01T00:00:00.000Z',
  }) as unknown as DossierCommand;

describe('OneDossierPipeline state cache', () => {
  let store: InMemoryEventStore;
  let logged: CommandLogEntry[];
  let a: OneDossierPipeline;
  let b: OneDossierPipeline;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    logged = [];
    const log = { record: async (e: CommandLogEntry) => void logged.push(e) } as unknown as CommandLog;
    a = new OneDossierPipeline(store, decider, log);
    b = new OneDossierPipeline(store, decider, log);
    await a.execute(tick(), newCommandContext()); // a caches version 1
    await b.execute(tick(), newCommandContext()); // the stream is at 2 behind a's back
  });

  it('appends on a stale cached state only through a reload (expected version conflict)', async () => {
    const outcome = await a.execute(tick(), newCommandContext());
    expect(outcome.streamVersion).toBe(3);
    expect(await store.streamVersion('dossier-N1')).toBe(3);
  });

  it('re-checks a refusal decided on a stale cached state against a fresh read', async () => {
    const outcome = await a.execute(tick(2), newCommandContext());
    expect(outcome.streamVersion).toBe(3);
    expect(logged.at(-1)?.outcome).toBe('accepted');
  });

  it('re-checks an If-Match mismatch against a fresh read', async () => {
    const outcome = await a.execute(tick(), newCommandContext({ expectedVersion: 2 }));
    expect(outcome.streamVersion).toBe(3);
  });

  it('still refuses, appends nothing and logs the refusal when the fresh state refuses', async () => {
    await expect(a.execute(tick(5), newCommandContext())).rejects.toBeInstanceOf(DomainRefusalError);
    expect(await store.streamVersion('dossier-N1')).toBe(2);
    expect(logged.at(-1)).toMatchObject({ outcome: 'refused', errorCode: 'TROP_TOT', streamVersion: 2 });
  });
});
