import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';
import { type DeadlineRun, type TimerMode, deadlinesOutcome, runDeadlines } from './deadlines-harness';

const PER_MINUTE = 1_000;
const TARGET_P99_MS = 1_000;

const steady = (ctx: BenchContext, mode: TimerMode, durationMs: number): Promise<DeadlineRun> =>
  // Evenly spread over the run: one deadline every 60 ms, as a steady flow of rounds would give.
  runDeadlines(ctx, mode, {
    name: 'steady',
    rounds: Math.round((PER_MINUTE * durationMs) / 60_000),
    leadMs: 2_000,
    spreadMs: durationMs,
    timeoutMs: durationMs + 60_000,
  });

export const deadlinesSteady: Scenario = {
  name: 'deadlines-steady',
  description: `${PER_MINUTE} rounds falling due per minute: BullMQ, embedded as reference (lateness p99 < ${TARGET_P99_MS} ms, each fired once)`,
  async run(ctx): Promise<ScenarioOutcome> {
    const durationMs = ctx.quick ? 20_000 : 90_000;
    const bullmq = await steady(ctx, 'bullmq', durationMs);
    const embedded = await steady(ctx, 'embedded', durationMs);
    return deadlinesOutcome(bullmq, embedded, TARGET_P99_MS, { perMinute: PER_MINUTE, durationMs });
  },
};
