import type { ModificationRequested } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import { recorded } from '../../../projections/src/testing/recorded';
import type { Deadline } from '../deadline';
import { DeadlinesProjection } from '../deadlines.projection';
import type { DeadlineFirer, FireOutcome, Scheduler } from '../scheduler.port';

export { recorded, waitFor } from '../../../projections/src/testing/recorded';
export { sleep } from '@segur/kernel';

let sequence = 0;
/** A fresh numéro ASP per test, so leftovers of another test (or file) never interfere. */
export const nextNumeroAsp = (): string => {
  sequence += 1;
  return `FINSAS${String((process.pid % 1000) * 1000 + sequence).padStart(6, '0')}`;
};

/**
 * `count` PENDING REMINDER rows of fresh dossiers due at the database clock plus `dueIn` (an SQL
 * interval: '-1 second' for due rows); their job ids.
 */
export const insertReminderRows = async (sql: SqlClient, count: number, dueIn: string): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const numeroAsp = nextNumeroAsp();
    const jobId = `reminder-${numeroAsp}-M1`;
    await sql.query(
      `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
       VALUES ($1, $2, 'M1', 'REMINDER', now() + $3::interval, 'test')`,
      [jobId, numeroAsp, dueIn],
    );
    ids.push(jobId);
  }
  return ids;
};

/** The database clock plus `ms`, as an ISO instant. */
export const dbNowPlus = async (sql: SqlClient, ms: number): Promise<string> => {
  const r = await sql.query<{ t: unknown }>(`SELECT now() + $1::integer * interval '1 millisecond' AS t`, [
    ms,
  ]);
  return new Date(r.rows[0]?.t as string).toISOString();
};

const NO_SCHEDULER = {
  schedule: () => Promise.resolve(),
  cancel: () => Promise.resolve(),
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
} satisfies Scheduler;

/**
 * Opens round M1 of a fresh dossier through the projection, as the runner would, due at the
 * database clock plus `reminderInMs` and `expiryInMs`; `scheduler`, when given, is told after the
 * commit.
 */
export const openRoundM1 = async (
  sql: SqlClient,
  reminderInMs: number,
  expiryInMs: number,
  scheduler: Scheduler | null,
): Promise<{ numeroAsp: string; reminderDueAt: string }> => {
  const numeroAsp = nextNumeroAsp();
  const data: ModificationRequested['data'] = {
    numeroAsp,
    version: 'M1',
    round: 1,
    commentaire: 'test modif',
    gestionnaireId: 'g1',
    requestedAt: await dbNowPlus(sql, 0),
    reminderDueAt: await dbNowPlus(sql, reminderInMs),
    expiresAt: await dbNowPlus(sql, expiryInMs),
  };
  const event = recorded<ModificationRequested>('ModificationRequested', data);
  const projection = new DeadlinesProjection(scheduler ?? NO_SCHEDULER);
  await sql.transaction((tx) => projection.apply(tx, event));
  if (scheduler) await projection.afterCommit([event]);
  return { numeroAsp, reminderDueAt: data.reminderDueAt };
};

export interface FirerCall {
  deadline: Deadline;
  at: number;
  /** Judged by the database while the call is in progress. */
  dueByDbClock: boolean;
}

/** A firer that records its calls; `script` chooses each call's outcome (default 'fired'). */
export const recordingFirer = (
  sql: SqlClient,
  script: (deadline: Deadline, callIndex: number) => FireOutcome = () => 'fired',
): { firer: DeadlineFirer; calls: FirerCall[] } => {
  const calls: FirerCall[] = [];
  const firer: DeadlineFirer = async (deadline) => {
    const r = await sql.query<{ due: boolean }>(
      `SELECT now() >= due_at AS due FROM deadlines WHERE job_id = $1`,
      [deadline.jobId],
    );
    const index = calls.filter((c) => c.deadline.jobId === deadline.jobId).length;
    calls.push({ deadline, at: Date.now(), dueByDbClock: r.rows[0]?.due === true });
    return script(deadline, index);
  };
  return { firer, calls };
};
