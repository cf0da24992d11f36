import { reference, type BenchContext, type Scenario, type ScenarioOutcome } from '../lib/scenario';
import {
  type DeadlineRun,
  type TimerMode,
  deleteRedisPrefix,
  describeRun,
  exactlyOnce,
  loadTimerCache,
  measureRun,
  prepareSchema,
  redisPrefix,
  seedDeadlines,
  seedDossierStreams,
  startScheduler,
  waitAllFired,
} from './deadlines-harness';

const ROUNDS = 100_000;
const QUICK_ROUNDS = 10_000;
const TARGET_P99_MS = 5_000;

const burst = async (ctx: BenchContext, mode: TimerMode, rounds: number): Promise<DeadlineRun> => {
  const sql = await prepareSchema(ctx);
  const prefix = redisPrefix(`burst-${mode}`);
  await deleteRedisPrefix(ctx.redisUrl, prefix);
  // The dossiers first, timers stopped: only the deadlines' own seeding counts in the lead.
  const s0 = performance.now();
  await seedDossierStreams(sql, rounds, new Date(Date.now() - 60_000));
  ctx.log(
    `${mode}: ${rounds} dossier streams (4 events each) seeded in ${Math.round(performance.now() - s0)} ms`,
  );
  const scheduler = await startScheduler(ctx, mode, sql, prefix);
  try {
    // Loading 100 000 BullMQ jobs takes seconds: the burst must still be in the future by then.
    const leadMs = mode === 'bullmq' ? 5_000 + rounds / 8 : 3_000;
    const t0 = performance.now();
    await seedDeadlines(sql, rounds, leadMs, 1_000);
    await loadTimerCache(scheduler, sql);
    ctx.log(
      `${mode}: ${rounds} deadlines seeded and scheduled in ${Math.round(performance.now() - t0)} ms (lead ${leadMs} ms)`,
    );
    await waitAllFired(sql, leadMs + 600_000);
    const run = await measureRun(sql, mode, rounds);
    ctx.log(describeRun(run));
    return run;
  } finally {
    await scheduler.stop();
    await sql.close();
    await deleteRedisPrefix(ctx.redisUrl, prefix);
  }
};

export const deadlinesBurst: Scenario = {
  name: 'deadlines-burst',
  description: `${ROUNDS} rounds whose J+10 falls due within the same second: BullMQ, embedded as reference (lateness p99 < ${TARGET_P99_MS} ms, each fired once)`,
  async run(ctx): Promise<ScenarioOutcome> {
    const rounds = ctx.quick ? QUICK_ROUNDS : ROUNDS;
    const bullmq = await burst(ctx, 'bullmq', rounds);
    const embedded = await burst(ctx, 'embedded', rounds);
    const unit = 'ms lateness p99';
    const ok = (r: DeadlineRun): boolean => exactlyOnce(r) && (r.p99 ?? Infinity) < TARGET_P99_MS;
    return {
      unit,
      value: bullmq.p99 ?? -1,
      p50: bullmq.p50,
      p99: bullmq.p99,
      params: {
        rounds,
        spreadMs: 1_000,
        targetP99Ms: TARGET_P99_MS,
        measured:
          'claim (database clock) + production firers (stream reads, decider, appendMany, command log); no projections or email',
        bullmq: { ...bullmq, meetsTarget: ok(bullmq) },
        embedded: { ...embedded, meetsTarget: ok(embedded) },
      },
      references: [reference(unit, bullmq.p99 ?? 1, 'embedded scheduler p99 (ms)', embedded.p99 ?? 1)],
    };
  },
};
