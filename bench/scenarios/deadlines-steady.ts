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

const PER_MINUTE = 1_000;
const TARGET_P99_MS = 1_000;

const steady = async (ctx: BenchContext, mode: TimerMode, durationMs: number): Promise<DeadlineRun> => {
  const rounds = Math.round((PER_MINUTE * durationMs) / 60_000);
  const sql = await prepareSchema(ctx);
  const prefix = redisPrefix(`steady-${mode}`);
  await deleteRedisPrefix(ctx.redisUrl, prefix);
  await seedDossierStreams(sql, rounds, new Date(Date.now() - 60_000));
  const scheduler = await startScheduler(ctx, mode, sql, prefix);
  try {
    // Evenly spread over the run: one deadline every 60 ms, as a steady flow of rounds would give.
    await seedDeadlines(sql, rounds, 2_000, durationMs);
    await loadTimerCache(scheduler, sql);
    await waitAllFired(sql, durationMs + 60_000);
    const run = await measureRun(sql, mode, rounds);
    ctx.log(describeRun(run));
    return run;
  } finally {
    await scheduler.stop();
    await sql.close();
    await deleteRedisPrefix(ctx.redisUrl, prefix);
  }
};

export const deadlinesSteady: Scenario = {
  name: 'deadlines-steady',
  description: `${PER_MINUTE} rounds falling due per minute: BullMQ, embedded as reference (lateness p99 < ${TARGET_P99_MS} ms, each fired once)`,
  async run(ctx): Promise<ScenarioOutcome> {
    const durationMs = ctx.quick ? 20_000 : 90_000;
    const bullmq = await steady(ctx, 'bullmq', durationMs);
    const embedded = await steady(ctx, 'embedded', durationMs);
    const unit = 'ms lateness p99';
    const ok = (r: DeadlineRun): boolean => exactlyOnce(r) && (r.p99 ?? Infinity) < TARGET_P99_MS;
    return {
      unit,
      value: bullmq.p99 ?? -1,
      p50: bullmq.p50,
      p99: bullmq.p99,
      params: {
        perMinute: PER_MINUTE,
        durationMs,
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
