import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';
import { type DeadlineRun, type TimerMode, deadlinesOutcome, runDeadlines } from './deadlines-harness';

const ROUNDS = 100_000;
const QUICK_ROUNDS = 10_000;
const TARGET_P99_MS = 5_000;

const burst = (ctx: BenchContext, mode: TimerMode, rounds: number): Promise<DeadlineRun> => {
  // Loading 100 000 BullMQ jobs takes seconds: the burst must still be in the future by then.
  const leadMs = mode === 'bullmq' ? 5_000 + rounds / 8 : 3_000;
  return runDeadlines(ctx, mode, {
    name: 'burst',
    rounds,
    leadMs,
    spreadMs: 1_000,
    timeoutMs: leadMs + 600_000,
  });
};

export const deadlinesBurst: Scenario = {
  name: 'deadlines-burst',
  description: `${ROUNDS} rounds whose J+10 falls due within the same second: BullMQ, embedded as reference (lateness p99 < ${TARGET_P99_MS} ms, each fired once)`,
  async run(ctx): Promise<ScenarioOutcome> {
    const rounds = ctx.quick ? QUICK_ROUNDS : ROUNDS;
    const bullmq = await burst(ctx, 'bullmq', rounds);
    const embedded = await burst(ctx, 'embedded', rounds);
    return deadlinesOutcome(bullmq, embedded, TARGET_P99_MS, { rounds, spreadMs: 1_000 });
  },
};
