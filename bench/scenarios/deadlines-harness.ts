import { randomUUID } from 'node:crypto';
import { PostgresEventStore, migrateEventStore, type PgSqlClient } from '@segur/event-store';
import {
  BullmqScheduler,
  DEADLINES_MIGRATIONS,
  EmbeddedScheduler,
  deadlineStats,
  type Deadline,
  type DeadlineBatchFirer,
  type DeadlineFirer,
  type FireOutcome,
  type Scheduler,
} from '@segur/scheduling';
import Redis from 'ioredis';
import { round } from '../lib/measure';
import type { BenchContext } from '../lib/scenario';

export type TimerMode = 'bullmq' | 'embedded';

export interface DeadlineRun {
  mode: TimerMode;
  rounds: number;
  fired: number;
  p50: number | null;
  p99: number | null;
  /** Deadlines fired per second, from the first due_at to the last fired_at. */
  perSecond: number;
  /** ModificationReminderSent events in the store, and on how many distinct streams. */
  events: number;
  streamsWithEvent: number;
  /** Rows claimed more than once (a retry or a lost lease): 0 in a clean run. */
  reclaimed: number;
}

/**
 * What is measured: the timer path only. The `deadlines` rows are seeded in bulk (what the deadlines
 * projection would have written), BullMQ is loaded with `addBulk`; then each due deadline goes
 * through the production batched claim (`fireDueBatch`, database clock, lease) and a firer that appends the
 * real `ModificationReminderSent` event to the dossier stream without any guard of its own, so a
 * double firing would show as two events. Not measured: the decider, the projections, the emails.
 */
const reminderSent = (d: Deadline) => ({
  type: 'ModificationReminderSent',
  data: { numeroAsp: d.numeroAsp, version: d.version, sentAt: new Date().toISOString() },
  metadata: {
    actor: { id: 'planificateur', role: 'system' },
    correlationId: `echeance-${d.jobId}`,
    causationId: null,
    commandId: randomUUID(),
  },
});

export const cheapFirer =
  (store: PostgresEventStore): DeadlineFirer =>
  async (d) => {
    await store.appendToStream(`dossier-${d.numeroAsp}`, [reminderSent(d)], { expectedVersion: 'any' });
    return 'fired';
  };

/** The same appends, the whole claimed batch in one `appendMany` (one commit). */
export const cheapBatchFirer =
  (store: PostgresEventStore): DeadlineBatchFirer =>
  async (deadlines) => {
    const results = await store.appendMany(
      deadlines.map((d) => ({
        streamId: `dossier-${d.numeroAsp}`,
        events: [reminderSent(d)],
        expectedVersion: 'any' as const,
      })),
    );
    const byStream = new Map(results.map((r) => [r.streamId, r.ok]));
    return new Map(
      deadlines.map((d): [string, FireOutcome] => [
        d.jobId,
        byStream.get(`dossier-${d.numeroAsp}`) ? 'fired' : 'retry',
      ]),
    );
  };

const numeroSql = `'FINSAS' || lpad(i::text, 6, '0')`;

/** `count` REMINDER rows whose due_at are spread over `spreadMs` from `firstDueInMs` (database clock). */
export const seedDeadlines = async (
  sql: PgSqlClient,
  count: number,
  firstDueInMs: number,
  spreadMs: number,
  offset = 0,
): Promise<void> => {
  for (let start = 0; start < count; start += 50_000) {
    const n = Math.min(50_000, count - start);
    await sql.query(
      `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
       SELECT 'reminder-' || ${numeroSql} || '-M1', ${numeroSql}, 'M1', 'REMINDER',
              now() + ($3::integer + ((i - $1) * $4::float8 / $5::float8)::integer) * interval '1 millisecond', 'bench'
         FROM generate_series($1::integer, $2::integer) AS i`,
      [offset + start + 1, offset + start + n, firstDueInMs, spreadMs, Math.max(1, count)],
    );
  }
};

export const prepareSchema = async (ctx: BenchContext): Promise<PgSqlClient> => {
  await ctx.resetSchema();
  const sql = await ctx.connect(24);
  await migrateEventStore(sql);
  for (const ddl of DEADLINES_MIGRATIONS) await sql.query(ddl);
  return sql;
};

export const redisPrefix = (name: string): string => `bench-${name}-${process.pid}`;

export const deleteRedisPrefix = async (url: string, prefix: string): Promise<void> => {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
};

export const startScheduler = async (
  ctx: BenchContext,
  mode: TimerMode,
  sql: PgSqlClient,
  prefix: string,
): Promise<Scheduler> => {
  const store = new PostgresEventStore(sql);
  const firer = cheapFirer(store);
  // Claim, fire and mark due rows 1 000 at a time, few lanes (more lanes contend on the claim): commits, not CPU, set the pace of a burst.
  const batchFirer = cheapBatchFirer(store);
  // No reconciler in the measured run: it would only add holds() calls; the table is not lost here.
  const scheduler =
    mode === 'bullmq'
      ? new BullmqScheduler({
          redisUrl: ctx.redisUrl,
          sql,
          firer,
          batchFirer,
          batchSize: 1_000,
          prefix,
          concurrency: 8,
          reconciler: false,
        })
      : new EmbeddedScheduler({
          sql,
          firer,
          batchFirer,
          maxSleepMs: 1_000,
          batchSize: 1_000,
          concurrency: 6,
        });
  await scheduler.start();
  return scheduler;
};

/** BullMQ needs its delayed jobs: read the seeded rows back and add them in bulk. */
export const loadTimerCache = async (scheduler: Scheduler, sql: PgSqlClient): Promise<void> => {
  if (!(scheduler instanceof BullmqScheduler)) return;
  const r = await sql.query<{ job_id: string; numero_asp: string; due_at: Date }>(
    `SELECT job_id, numero_asp, due_at FROM deadlines WHERE status = 'PENDING'`,
  );
  await scheduler.scheduleMany(
    r.rows.map((row) => ({
      jobId: row.job_id,
      numeroAsp: row.numero_asp,
      version: 'M1',
      kind: 'REMINDER' as const,
      dueAt: new Date(row.due_at).toISOString(),
    })),
  );
};

export const waitAllFired = async (sql: PgSqlClient, count: number, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const s = await deadlineStats(sql);
    if (s.fired >= count) return;
    await new Promise((r) => setTimeout(r, 500));
  }
};

export const measureRun = async (sql: PgSqlClient, mode: TimerMode, rounds: number): Promise<DeadlineRun> => {
  const stats = await deadlineStats(sql);
  const span = await sql.query<{ ms: string | null; reclaimed: string }>(
    `SELECT EXTRACT(EPOCH FROM (max(fired_at) - min(due_at))) * 1000 AS ms,
            count(*) FILTER (WHERE attempts > 1) AS reclaimed
       FROM deadlines`,
  );
  const events = await sql.query<{ n: string; streams: string }>(
    `SELECT count(*) AS n, count(DISTINCT stream_id) AS streams FROM es_events WHERE event_type = 'ModificationReminderSent'`,
  );
  const ms = Number(span.rows[0]?.ms ?? 0);
  return {
    mode,
    rounds,
    fired: stats.fired,
    p50: round(stats.latenessMs.p50, 1),
    p99: round(stats.latenessMs.p99, 1),
    perSecond: ms > 0 ? Math.round(stats.fired / (ms / 1000)) : 0,
    events: Number(events.rows[0]?.n ?? 0),
    streamsWithEvent: Number(events.rows[0]?.streams ?? 0),
    reclaimed: Number(span.rows[0]?.reclaimed ?? 0),
  };
};

export const exactlyOnce = (r: DeadlineRun): boolean =>
  r.fired === r.rounds && r.events === r.rounds && r.streamsWithEvent === r.rounds;

export const describeRun = (r: DeadlineRun): string =>
  `${r.mode}: ${r.fired}/${r.rounds} fired, lateness p50 ${r.p50} ms p99 ${r.p99} ms, ${r.perSecond}/s, ` +
  `events ${r.events} on ${r.streamsWithEvent} streams (${exactlyOnce(r) ? 'exactly once ✔' : 'NOT exactly once ✘'}), ` +
  `reclaimed ${r.reclaimed}`;
