import type { ModificationRequested, ModificationSubmitted } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import type { BackoffOptions } from '@segur/kernel';
import { type DeadlineRow, toDeadlineRow } from '../deadline';
import { DeadlinesProjection } from '../deadlines.projection';
import type { DeadlineFirer, FireOutcome, Scheduler } from '../scheduler.port';
import { sharedTestSql } from './shared-test-sql';
import { type FirerCall, openRoundM1, recorded, recordingFirer, waitFor } from './deadline-fixtures';

export interface SchedulerFactoryContext {
  sql: SqlClient;
  firer: DeadlineFirer;
  backoff: BackoffOptions;
}

export interface BehaviourOptions {
  /** Builds a fresh, not yet started instance; called again to simulate a restart or a 2nd worker. */
  create: (ctx: SchedulerFactoryContext) => Scheduler;
  /** Per-file teardown of the adapter's own resources (Redis keys…). */
  afterAll?: () => Promise<void>;
  /** A database shared with the file's other describes (the file tears it down); a private one otherwise. */
  db?: ReturnType<typeof sharedTestSql>;
}

const BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 1_000 };

/**
 * The behaviour every Scheduler adapter owes the domain, written once and run against BullMQ and
 * the embedded loop. Time is simulated: due dates move in the deadlines table (`timePasses`), and
 * "never before" is shown by a witness round fired after the early timer, never by a sleep.
 */
export const describeSchedulerBehaviour = (adapter: string, o: BehaviourOptions): void => {
  describe(`${adapter} : comportement commun des minuteurs`, () => {
    const db = o.db ?? sharedTestSql('sched');
    let sql: SqlClient;
    const running: Scheduler[] = [];

    beforeAll(async () => {
      sql = await db.get();
    });

    afterEach(async () => {
      await Promise.all(running.splice(0).map((s) => s.stop()));
    });

    afterAll(async () => {
      await o.afterAll?.();
      if (!o.db) await db.teardown();
    });

    const start = async (firer: DeadlineFirer): Promise<Scheduler> => {
      const s = o.create({ sql, firer, backoff: BACKOFF });
      running.push(s);
      await s.start();
      return s;
    };

    /** Opens round M1 through the projection, as the runner would, due dates from the DB clock. */
    const openRound = (
      scheduler: Scheduler,
      reminderInMs: number,
      expiryInMs: number,
      tellScheduler = true,
    ): Promise<{ numeroAsp: string; reminderDueAt: string }> =>
      openRoundM1(sql, reminderInMs, expiryInMs, tellScheduler ? scheduler : null);

    const rows = async (numeroAsp: string): Promise<DeadlineRow[]> =>
      (await sql.query(`SELECT * FROM deadlines WHERE numero_asp = $1 ORDER BY kind`, [numeroAsp])).rows.map(
        toDeadlineRow,
      );
    const callsFor = (calls: FirerCall[], numeroAsp: string): FirerCall[] =>
      calls.filter((c) => c.deadline.numeroAsp === numeroAsp);

    const HOUR = 3_600_000;

    /**
     * Time passes without waiting: the round's due dates (and leases) move back by `ms` in the
     * deadlines table, as if the database clock had moved on. No test below sleeps to decide.
     */
    const timePasses = async (numeroAsp: string, ms: number): Promise<void> => {
      await sql.query(
        `UPDATE deadlines SET due_at = due_at - $2::integer * interval '1 millisecond',
                not_before = not_before - $2::integer * interval '1 millisecond'
          WHERE numero_asp = $1`,
        [numeroAsp, ms],
      );
    };

    /**
     * Tells a running scheduler the new due dates of the round's PENDING rows (a timer cache keeps
     * the old ones): cancel, then schedule again. Called from a waitFor, so a timer that was being
     * handled at that instant (not removable) is simply told again on the next look.
     */
    const retell = async (scheduler: Scheduler, numeroAsp: string): Promise<void> => {
      for (const r of await rows(numeroAsp)) {
        if (r.status !== 'PENDING') continue;
        await scheduler.cancel(r.jobId);
        await scheduler.schedule({
          jobId: r.jobId,
          numeroAsp: r.numeroAsp,
          version: r.version,
          kind: r.kind,
          dueAt: r.dueAt,
        });
      }
    };

    /** A round due now: once both its deadlines have fired, the scheduler has looked after `since`. */
    const witnessFired = async (scheduler: Scheduler, calls: FirerCall[]): Promise<void> => {
      const { numeroAsp } = await openRound(scheduler, 0, 0);
      await waitFor(async () => (await rows(numeroAsp)).every((r) => r.status === 'FIRED'), 10_000);
      expect(callsFor(calls, numeroAsp)).toHaveLength(2);
    };

    test('la relance part à l’échéance et jamais avant, selon l’horloge de la base', async () => {
      const { firer, calls } = recordingFirer(sql);
      const scheduler = await start(firer);
      const { numeroAsp } = await openRound(scheduler, HOUR, 2 * HOUR, false);
      // The cache is told a wrong time (skewed app clock): the database clock still decides.
      await scheduler.schedule({
        jobId: `reminder-${numeroAsp}-M1`,
        numeroAsp,
        version: 'M1',
        kind: 'REMINDER',
        dueAt: new Date(Date.now() - 10_000).toISOString(),
      });
      // A round told after it, due now, fires: the early timer was looked at and not fired.
      await witnessFired(scheduler, calls);
      expect(callsFor(calls, numeroAsp)).toHaveLength(0);
      expect((await rows(numeroAsp)).map((r) => r.status)).toEqual(['PENDING', 'PENDING']);

      // One hour later by the database clock: the reminder is due, the expiry is not.
      await timePasses(numeroAsp, HOUR);
      await waitFor(async () => {
        if (callsFor(calls, numeroAsp).length > 0) return true;
        await retell(scheduler, numeroAsp);
        return false;
      }, 10_000);
      const call = callsFor(calls, numeroAsp)[0]!;
      expect(call.deadline).toMatchObject({
        kind: 'REMINDER',
        version: 'M1',
        jobId: `reminder-${numeroAsp}-M1`,
      });
      expect(call.dueByDbClock).toBe(true);
      await waitFor(
        async () => (await rows(numeroAsp)).find((r) => r.kind === 'REMINDER')?.status === 'FIRED',
      );
      const reminder = (await rows(numeroAsp)).find((r) => r.kind === 'REMINDER')!;
      expect(reminder.firedAt).not.toBeNull();
      expect((await rows(numeroAsp)).find((r) => r.kind === 'EXPIRY')?.status).toBe('PENDING');
      expect(callsFor(calls, numeroAsp)).toHaveLength(1);
    });

    test('un tour clos (modification soumise) ne déclenche jamais ses échéances', async () => {
      const { firer, calls } = recordingFirer(sql);
      const scheduler = await start(firer);
      const { numeroAsp } = await openRound(scheduler, HOUR, 2 * HOUR);
      const submitted = recorded<ModificationSubmitted>('ModificationSubmitted', {
        numeroAsp,
        version: 'M1',
        changes: [],
        piecesAdded: [],
        submittedAt: new Date().toISOString(),
      });
      const projection = new DeadlinesProjection(scheduler);
      await sql.transaction((tx) => projection.apply(tx, submitted));
      await projection.afterCommit([submitted]);
      // Long past both dates, and a stale timer still reaching the scheduler: nothing fires.
      await timePasses(numeroAsp, 3 * HOUR);
      await scheduler.schedule({
        jobId: `expiry-${numeroAsp}-M1`,
        numeroAsp,
        version: 'M1',
        kind: 'EXPIRY',
        dueAt: new Date(Date.now() - 10_000).toISOString(),
      });
      await witnessFired(scheduler, calls);
      expect(callsFor(calls, numeroAsp)).toHaveLength(0);
      expect((await rows(numeroAsp)).map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
    });

    test('échéances passées pendant un arrêt : déclenchées au redémarrage, une seule fois', async () => {
      const { firer, calls } = recordingFirer(sql);
      const first = await start(firer);
      const { numeroAsp } = await openRound(first, HOUR, 2 * HOUR);
      await first.stop();
      // Three hours pass while no scheduler runs: both dates go by, nothing can fire.
      await timePasses(numeroAsp, 3 * HOUR);
      expect(callsFor(calls, numeroAsp)).toHaveLength(0);
      await start(firer);
      // Once both rows are FIRED no claim can succeed again, so the count below is final.
      await waitFor(async () => (await rows(numeroAsp)).every((r) => r.status === 'FIRED'), 10_000);
      const fired = callsFor(calls, numeroAsp).map((c) => c.deadline.kind);
      expect(fired.sort()).toEqual(['EXPIRY', 'REMINDER']);
    });

    test('un échec est réessayé avec backoff puis aboutit ; « sans effet » clôt la ligne', async () => {
      const outcomes: FireOutcome[] = ['retry', 'retry', 'fired'];
      const { firer, calls } = recordingFirer(sql, (d, i) =>
        d.kind === 'EXPIRY' ? 'noop' : (outcomes[i] ?? 'fired'),
      );
      const scheduler = await start(firer);
      const { numeroAsp } = await openRound(scheduler, 0, 0);
      await waitFor(async () => (await rows(numeroAsp)).every((r) => r.status !== 'PENDING'), 10_000);
      const [expiry, reminder] = await rows(numeroAsp);
      expect(reminder).toMatchObject({ status: 'FIRED', attempts: 3 });
      expect(expiry).toMatchObject({ status: 'CANCELLED', attempts: 1 });
      const reminderCalls = callsFor(calls, numeroAsp).filter((c) => c.deadline.kind === 'REMINDER');
      expect(reminderCalls).toHaveLength(3);
      // No duration asserted here (a loaded machine stretches any gap): the delays themselves are
      // backoffDelay's, checked on values in libs/kernel/src/backoff.spec.ts; here, only that each
      // retry came after the previous attempt and was due by the database clock.
      expect(reminderCalls.map((c) => c.dueByDbClock)).toEqual([true, true, true]);
    });

    test('deux instances sur le même stockage : chaque échéance part une seule fois', async () => {
      const { firer, calls } = recordingFirer(sql);
      const a = await start(firer);
      const b = await start(firer);
      const numeros: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { numeroAsp, reminderDueAt } = await openRound(a, 0, 0);
        numeros.push(numeroAsp);
        // The other instance hears about the same rows (both reconcile / both were told).
        await new DeadlinesProjection(b).afterCommit([
          recorded<ModificationRequested>('ModificationRequested', {
            numeroAsp,
            version: 'M1',
            round: 1,
            commentaire: 'x',
            gestionnaireId: 'g1',
            requestedAt: reminderDueAt,
            reminderDueAt,
            expiresAt: reminderDueAt,
          }),
        ]);
      }
      // FIRED rows cannot be claimed again: once all are FIRED, the counts are final.
      await waitFor(async () => {
        for (const n of numeros) if (!(await rows(n)).every((r) => r.status === 'FIRED')) return false;
        return true;
      }, 10_000);
      for (const n of numeros) expect(callsFor(calls, n)).toHaveLength(2);
    });
  });
};
