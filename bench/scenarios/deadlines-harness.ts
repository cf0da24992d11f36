import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { COMMAND_LOG_MIGRATIONS } from '@segur/commands';
import { EngineModule } from '@segur/engine';
import { migrateEventStore, type PgSqlClient } from '@segur/event-store';
import { loadConfig, openInfrastructure } from '@segur/platform';
import {
  DEADLINE_BATCHING,
  DeadlineFiringModule,
  createDeadlineFirers,
  type DeadlinePrefetch,
} from '@segur/worker';
import {
  BullmqScheduler,
  DEADLINES_MIGRATIONS,
  EmbeddedScheduler,
  deadlineStats,
  type Scheduler,
} from '@segur/scheduling';
import Redis from 'ioredis';
import { POULAT, POULAT_A_MODIFIER } from '../../libs/domain/src/testing/seed-fixtures';
import { round } from '../lib/measure';
import { reference, type BenchContext, type ScenarioOutcome } from '../lib/scenario';

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
  /** This process's RSS when the deadlines were seeded, and its peak from then to the last firing. */
  rssAtSeedMb: number;
  peakRssMb: number;
  /** The prefetch's own work (see DeadlinePrefetch), when the firers have one. */
  prefetch: PrefetchReport | null;
}

export interface PrefetchReport {
  streamsRead: number;
  /** Wall time of the passes that read streams, the synchronous folds within it, process CPU meanwhile. */
  readingMs: number;
  foldMs: number;
  processCpuMs: number;
  /** Batch streams decided on a prefetched state, and entries found stale (read again). */
  hits: number;
  stale: number;
  /** Entries held when the first deadline fell due, and the RSS then. */
  entriesAtDue: number;
  rssAtDueMb: number;
}

/**
 * What is measured: the timer path as the worker runs it. The dossier streams (avance imported and
 * paid, solde imported, sent back for modification: 4 events each) and their `deadlines` rows are
 * seeded in bulk (what imports, the gestionnaire and the deadlines projection would have written),
 * BullMQ is loaded with `addBulk`; then each due deadline goes through the production batched claim
 * (`fireDueBatch`, database clock, lease) and the production firers (`createDeadlineFirers`: stream
 * reads, the decider, appendMany, command log). Exactly once shows as one ModificationReminderSent
 * per stream (the decider would hide a double firing, so reclaimed rows are counted too). Not
 * measured: the projections and the emails that follow the events.
 */
const numeroSql = `'FINSAS' || lpad(i::text, 6, '0')`;

/**
 * `count` dossier streams in `A_MODIFIER` (round M1 open, reminder due since `reminderDueAt`), the
 * same numbering as `seedDeadlines`: POULAT's four events with its numéro replaced, in one INSERT
 * per chunk (the API would take minutes to build 100 000 of them).
 */
export const seedDossierStreams = async (
  sql: PgSqlClient,
  count: number,
  reminderDueAt: Date,
  offset = 0,
): Promise<void> => {
  const day = 86_400_000;
  const templates = POULAT_A_MODIFIER.map((e, i) => ({
    v: i + 1,
    type: e.type,
    data:
      e.type === 'ModificationRequested'
        ? {
            ...e.data,
            requestedAt: new Date(reminderDueAt.getTime() - 10 * day).toISOString(),
            reminderDueAt: reminderDueAt.toISOString(),
            expiresAt: new Date(reminderDueAt.getTime() + 10 * day).toISOString(),
          }
        : e.data,
  }));
  const metadata = { actor: { id: 'bench', role: 'system' }, correlationId: 'bench-seed', causationId: null };
  for (let start = 0; start < count; start += 25_000) {
    const n = Math.min(25_000, count - start);
    await sql.query(
      `INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
       SELECT 'dossier-' || x.numero, t.v, gen_random_uuid(), t.type, 1,
              replace(t.data::text, $4::text, x.numero)::jsonb, $5::jsonb
         FROM generate_series($1::integer, $2::integer) AS i
        CROSS JOIN LATERAL (SELECT ${numeroSql} AS numero) AS x
        CROSS JOIN jsonb_to_recordset($3::jsonb) AS t(v integer, type text, data jsonb)
        ORDER BY i, t.v`,
      [
        offset + start + 1,
        offset + start + n,
        JSON.stringify(templates),
        POULAT.numeroAsp,
        JSON.stringify(metadata),
      ],
    );
  }
  // A live store has statistics (autovacuum); a freshly filled one would get stream reads planned blind.
  await sql.query('ANALYZE es_events');
};

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
  for (const ddl of [...DEADLINES_MIGRATIONS, ...COMMAND_LOG_MIGRATIONS]) await sql.query(ddl);
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
): Promise<{ scheduler: Scheduler; prefetch: DeadlinePrefetch | null; close: () => Promise<void> }> => {
  // The firers dispatch through a real CommandBus, as the worker's do.
  const infra = await openInfrastructure(
    loadConfig({
      DATABASE_URL: ctx.databaseUrl,
      JWT_SECRET: 'x'.repeat(32),
      WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
      LOG_LEVEL: 'silent',
    }),
    { sql },
  );
  const app = await NestFactory.createApplicationContext(
    { module: class DeadlineBenchModule {}, imports: [EngineModule.forRoot(infra), DeadlineFiringModule] },
    { logger: false },
  );
  const { store, decider } = infra;
  const bus = app.get(CommandBus);
  // The prefetch as the worker runs it (its defaults), when this code has one.
  const firers = createDeadlineFirers({ sql, store, decider, bus });
  const { firer, batchFirer } = firers;
  const prefetch = firers.prefetch ?? null;
  // No reconciler in the measured run: it would only add holds() calls; the table is not lost here.
  const scheduler =
    mode === 'bullmq'
      ? new BullmqScheduler({
          redisUrl: ctx.redisUrl,
          sql,
          firer,
          batchFirer,
          ...DEADLINE_BATCHING.bullmq,
          prefix,
          reconciler: false,
        })
      : new EmbeddedScheduler({
          sql,
          firer,
          batchFirer,
          ...DEADLINE_BATCHING.embedded,
          maxSleepMs: 1_000,
        });
  await scheduler.start();
  prefetch?.start();
  return { scheduler, prefetch, close: () => app.close() };
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

/**
 * Until nothing is left PENDING (fired, or cancelled by a no-op: `measureRun` tells them apart). A
 * look at the pending index, not `deadlineStats`: its scan and two percentile sorts over the whole
 * table every half second took a sixth of a core from the run being measured.
 */
export const waitAllFired = async (sql: PgSqlClient, timeoutMs: number): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await sql.query<{ done: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM deadlines WHERE status = 'PENDING') AS done`,
    );
    if (r.rows[0]?.done) return;
    await new Promise((r) => setTimeout(r, 250));
  }
};

export const measureRun = async (
  sql: PgSqlClient,
  mode: TimerMode,
  rounds: number,
): Promise<Omit<DeadlineRun, 'rssAtSeedMb' | 'peakRssMb' | 'prefetch'>> => {
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
  `reclaimed ${r.reclaimed}; RSS ${r.rssAtSeedMb} MB at seeding, peak ${r.peakRssMb} MB` +
  (r.prefetch
    ? `; prefetch: ${r.prefetch.streamsRead} streams read in ${r.prefetch.readingMs} ms (folds ${r.prefetch.foldMs} ms, ` +
      `process CPU meanwhile ${r.prefetch.processCpuMs} ms), ${r.prefetch.entriesAtDue} held at due time ` +
      `(RSS ${r.prefetch.rssAtDueMb} MB), used ${r.prefetch.hits}, stale ${r.prefetch.stale}`
    : '; no prefetch');

export interface DeadlineRunPlan {
  /** Names the Redis prefix (`<name>-<mode>`). */
  name: string;
  rounds: number;
  /** The first deadline falls due this long after seeding (database clock). */
  leadMs: number;
  /** The deadlines' due times are spread evenly over this. */
  spreadMs: number;
  /** How long to wait for all of them to fire after seeding. */
  timeoutMs: number;
}

/**
 * One measured run of a deadlines scenario in `mode`: a fresh schema, the dossier streams seeded
 * with the timers stopped, then the scheduler, the deadlines rows (and BullMQ's jobs), the wait until
 * nothing is PENDING, and the measure. Everything it opened is closed, its Redis keys deleted.
 */
export const runDeadlines = async (
  ctx: BenchContext,
  mode: TimerMode,
  plan: DeadlineRunPlan,
): Promise<DeadlineRun> => {
  const sql = await prepareSchema(ctx);
  const prefix = redisPrefix(`${plan.name}-${mode}`);
  await deleteRedisPrefix(ctx.redisUrl, prefix);
  // The dossiers first, timers stopped: only the deadlines' own seeding counts in the lead.
  const s0 = performance.now();
  await seedDossierStreams(sql, plan.rounds, new Date(Date.now() - 60_000));
  ctx.log(
    `${mode}: ${plan.rounds} dossier streams (4 events each) seeded in ${Math.round(performance.now() - s0)} ms`,
  );
  const { scheduler, prefetch, close } = await startScheduler(ctx, mode, sql, prefix);
  const mb = (bytes: number): number => Math.round(bytes / 1048576);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  try {
    const t0 = performance.now();
    const rssAtSeedMb = mb(process.memoryUsage.rss());
    await seedDeadlines(sql, plan.rounds, plan.leadMs, plan.spreadMs);
    const dueAt = performance.now() + plan.leadMs;
    await loadTimerCache(scheduler, sql);
    ctx.log(
      `${mode}: ${plan.rounds} deadlines seeded and scheduled in ${Math.round(performance.now() - t0)} ms (lead ${plan.leadMs} ms)`,
    );
    // What the prefetch holds (and the RSS) when the burst starts.
    let atDue = { entries: 0, rssMb: 0 };
    const due = setTimeout(
      () => (atDue = { entries: prefetch?.size ?? 0, rssMb: mb(process.memoryUsage.rss()) }),
      Math.max(0, dueAt - performance.now() - 50),
    );
    await waitAllFired(sql, plan.timeoutMs);
    clearTimeout(due);
    const measured = await measureRun(sql, mode, plan.rounds);
    const s = prefetch?.stats;
    const run: DeadlineRun = {
      ...measured,
      rssAtSeedMb,
      peakRssMb: mb(peakRss),
      prefetch: s
        ? {
            streamsRead: s.streamsRead,
            readingMs: Math.round(s.readingMs),
            foldMs: Math.round(s.foldMs),
            processCpuMs: Math.round(s.processCpuMs),
            hits: s.hits,
            stale: s.stale,
            entriesAtDue: atDue.entries,
            rssAtDueMb: atDue.rssMb,
          }
        : null,
    };
    ctx.log(describeRun(run));
    return run;
  } finally {
    clearInterval(sampler);
    await prefetch?.stop();
    await scheduler.stop();
    await close();
    await sql.close();
    await deleteRedisPrefix(ctx.redisUrl, prefix);
  }
};

/** A deadlines scenario's result: BullMQ measured, the embedded scheduler as its reference. */
export const deadlinesOutcome = (
  bullmq: DeadlineRun,
  embedded: DeadlineRun,
  targetP99Ms: number,
  params: Record<string, unknown>,
): ScenarioOutcome => {
  const unit = 'ms lateness p99';
  const ok = (r: DeadlineRun): boolean => exactlyOnce(r) && (r.p99 ?? Infinity) < targetP99Ms;
  return {
    unit,
    value: bullmq.p99 ?? -1,
    p50: bullmq.p50,
    p99: bullmq.p99,
    params: {
      ...params,
      targetP99Ms,
      measured:
        'claim (database clock) + production firers (stream reads, decider, appendMany, command log); no projections or email',
      // The scheduler runs in the bench process, which `npm run bench` starts with the worker's V8
      // flags (package.json `start:worker`); a run without them is not what production runs.
      nodeFlags: process.execArgv,
      bullmq: { ...bullmq, meetsTarget: ok(bullmq) },
      embedded: { ...embedded, meetsTarget: ok(embedded) },
    },
    references: [reference(unit, bullmq.p99 ?? 1, 'embedded scheduler p99 (ms)', embedded.p99 ?? 1)],
  };
};
