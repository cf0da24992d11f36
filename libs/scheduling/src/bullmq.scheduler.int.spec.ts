import type { SqlClient } from '@segur/event-store';
import { BullmqScheduler } from './bullmq.scheduler';
import type { Logger } from '@segur/kernel';
import { type DeadlineFirer, batchFirerFrom } from './scheduler.port';
import { openRoundM1, recordingFirer, waitFor } from './testing/deadline-fixtures';
import { deleteKeysWithPrefix, uniqueRedisPrefix } from './testing/redis-test-prefix';
import { describeSchedulerBehaviour } from './testing/scheduler.behaviour';
import { sharedTestSql } from './testing/shared-test-sql';

const redisUrl = process.env.TEST_REDIS_URL;

if (!redisUrl) {
  describe('BullMQ', () => {
    test.skip('IGNORÉ : TEST_REDIS_URL non défini — les tests BullMQ exigent un vrai Redis (la CI le définit toujours)', () =>
      undefined);
  });
} else {
  const prefix = uniqueRedisPrefix('sched');
  const db = sharedTestSql('schedb');
  afterAll(() => db.teardown());

  describeSchedulerBehaviour('BullMQ', {
    create: ({ sql, firer, backoff }) =>
      new BullmqScheduler({
        redisUrl,
        sql,
        firer,
        backoff,
        prefix,
        reconciler: { intervalMs: 60_000, graceMs: 60_000 },
      }),
    afterAll: async () => void (await deleteKeysWithPrefix(redisUrl, prefix)),
    db,
  });

  // Each job fires its own row with the other due ones: same behaviour owed.
  const batchPrefix = uniqueRedisPrefix('sched-lot');
  describeSchedulerBehaviour('BullMQ par lots', {
    create: ({ sql, firer, backoff }) =>
      new BullmqScheduler({
        redisUrl,
        sql,
        firer,
        batchFirer: batchFirerFrom(firer),
        backoff,
        prefix: batchPrefix,
        reconciler: { intervalMs: 60_000, graceMs: 60_000 },
      }),
    afterAll: async () => void (await deleteKeysWithPrefix(redisUrl, batchPrefix)),
    db,
  });

  describe('BullMQ : Redis n’est qu’un cache des échéances', () => {
    const ownPrefix = uniqueRedisPrefix('sched-cache');
    let sql: SqlClient;
    const started: BullmqScheduler[] = [];

    beforeAll(async () => {
      sql = await db.get();
    });
    afterEach(async () => void (await Promise.all(started.splice(0).map((s) => s.stop()))));
    afterAll(async () => {
      await deleteKeysWithPrefix(redisUrl, ownPrefix);
    });

    const start = async (
      firer: DeadlineFirer,
      extra: Partial<ConstructorParameters<typeof BullmqScheduler>[0]> = {},
    ) => {
      const s = new BullmqScheduler({
        redisUrl,
        sql,
        firer,
        prefix: ownPrefix,
        backoff: { baseMs: 100, maxMs: 400 },
        reconciler: { intervalMs: 60_000, graceMs: 60_000 },
        ...extra,
      });
      started.push(s);
      await s.start();
      return s;
    };
    const openRound = async (s: BullmqScheduler, reminderInMs: number, expiryInMs: number): Promise<string> =>
      (await openRoundM1(sql, reminderInMs, expiryInMs, s)).numeroAsp;

    test('Redis vidé (préfixe de ce test) : le rapprochement reprogramme, la relance part une fois', async () => {
      const { firer, calls } = recordingFirer(sql);
      const s = await start(firer);
      const numeroAsp = await openRound(s, 1_200, 60_000);
      expect(await s.holds(`reminder-${numeroAsp}-M1`)).toBe(true);
      expect(await deleteKeysWithPrefix(redisUrl, ownPrefix)).toBeGreaterThan(0);
      expect(await s.holds(`reminder-${numeroAsp}-M1`)).toBe(false);
      const report = await s.reconcile();
      expect(report.requeued).toBeGreaterThanOrEqual(2);
      // A FIRED row cannot be claimed again: once it is FIRED, the calls below are final.
      await waitFor(async () => {
        const r = await sql.query<{ status: string }>(`SELECT status FROM deadlines WHERE job_id = $1`, [
          `reminder-${numeroAsp}-M1`,
        ]);
        return r.rows[0]?.status === 'FIRED';
      }, 5_000);
      expect(calls.filter((c) => c.deadline.numeroAsp === numeroAsp).map((c) => c.deadline.kind)).toEqual([
        'REMINDER',
      ]);
      expect(calls[0]?.dueByDbClock).toBe(true);
    });

    test('tentatives épuisées : lettre morte visible, puis déclenchée par le rapprochement', async () => {
      let healthy = false;
      const { firer, calls } = recordingFirer(sql, () => (healthy ? 'fired' : 'retry'));
      const s = await start(firer, { attempts: 2, reconciler: { intervalMs: 60_000, graceMs: 0 } });
      const numeroAsp = await openRound(s, 100, 60_000);
      const jobId = `reminder-${numeroAsp}-M1`;
      await waitFor(async () => (await s.deadLetters()).some((d) => d.jobId === jobId), 6_000);
      const dead = (await s.deadLetters()).find((d) => d.jobId === jobId)!;
      expect(dead).toMatchObject({ attemptsMade: 2, deadline: { numeroAsp, kind: 'REMINDER' } });
      healthy = true;
      // The row's retry backoff has gone by (moved in the table, not waited for).
      await sql.query(
        `UPDATE deadlines SET not_before = now() - interval '1 millisecond' WHERE job_id = $1`,
        [jobId],
      );
      const report = await s.reconcile();
      expect(report.firedDirectly).toBe(1);
      const r = await sql.query<{ status: string }>(`SELECT status FROM deadlines WHERE job_id = $1`, [
        jobId,
      ]);
      expect(r.rows[0]?.status).toBe('FIRED');
      expect(calls.filter((c) => c.deadline.jobId === jobId).length).toBe(3);
    });

    test('maxmemory-policy lu au démarrage : aucun avertissement quand il vaut noeviction', async () => {
      const warnings: string[] = [];
      const logger: Logger = {
        info: () => undefined,
        error: () => undefined,
        warn: (_o, m) => void warnings.push(m ?? ''),
      };
      const { firer } = recordingFirer(sql);
      await start(firer, { logger });
      expect(warnings.filter((w) => w.includes('maxmemory-policy'))).toEqual([]);
    });
  });
}
