import type { SqlClient } from '@segur/event-store';
import type { Deadline } from './deadline';
import { Reconciler, type TimerCache } from './reconciler';
import { openRoundM1, recordingFirer } from './testing/deadline-fixtures';
import { sharedTestSql } from './testing/shared-test-sql';

// Runs without Redis on purpose: the table alone must be enough to honour a deadline.
describe('rapprochement : la table des échéances prime sur Redis', () => {
  const db = sharedTestSql('recon');
  let sql: SqlClient;
  beforeAll(async () => void (sql = await db.get()));
  afterAll(() => db.teardown());

  const openRound = async (reminderInMs: number, expiryInMs: number): Promise<string> =>
    (await openRoundM1(sql, reminderInMs, expiryInMs, null)).numeroAsp;

  test('Redis injoignable : l’échéance en retard au-delà de la tolérance est déclenchée directement, une fois', async () => {
    const overdue = await openRound(-5_000, 60_000);
    const { firer, calls } = recordingFirer(sql);
    let cacheCalls = 0;
    const downCache: TimerCache = {
      holds: async () => {
        cacheCalls += 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
      enqueue: async () => undefined,
    };
    const reconciler = new Reconciler({ sql, cache: downCache, firer, graceMs: 1_000 });
    const report = await reconciler.runOnce();
    expect(report).toMatchObject({ firedDirectly: 1, cacheUnavailable: true });
    expect(cacheCalls).toBe(1);
    expect(calls.map((c) => c.deadline.jobId)).toEqual([`reminder-${overdue}-M1`]);
    await reconciler.runOnce();
    expect(calls).toHaveLength(1);
  });

  test('minuteur perdu (non encore dû) : reprogrammé dans le cache, pas déclenché', async () => {
    const numeroAsp = await openRound(30_000, 60_000);
    const enqueued: Deadline[] = [];
    const emptyCache: TimerCache = { holds: async () => false, enqueue: async (d) => void enqueued.push(d) };
    const { firer, calls } = recordingFirer(sql);
    await new Reconciler({ sql, cache: emptyCache, firer, graceMs: 1_000 }).runOnce();
    expect(enqueued.filter((d) => d.numeroAsp === numeroAsp).map((d) => d.jobId)).toEqual([
      `reminder-${numeroAsp}-M1`,
      `expiry-${numeroAsp}-M1`,
    ]);
    expect(calls).toHaveLength(0);
  });
});
