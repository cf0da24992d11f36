import type { BenchContext, Scenario, ScenarioOutcome } from '../lib/scenario';
import { type DeadlineRun, type TimerMode, deadlinesOutcome, runDeadlines } from './deadlines-harness';

const ROUNDS = 100_000;
const QUICK_ROUNDS = 10_000;
const TARGET_P99_MS = 5_000;

// The deadline rows are seeded this long before the burst falls due: in production they exist ten
// days ahead (written when the rounds open), and the worker folds the dossiers of the deadlines
// falling due within its lookahead (60 s) ahead of time (DeadlinePrefetch). The lead leaves that
// prefetch, and BullMQ the loading of its 100 000 jobs, time to finish; the prefetch's own time, CPU
// and the process's RSS are logged and reported with each run (`prefetch`, `peakRssMb`).
const LEAD_MS = 45_000;

const burst = (ctx: BenchContext, mode: TimerMode, rounds: number): Promise<DeadlineRun> => {
  const leadMs = LEAD_MS;
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
  description: `${ROUNDS} rounds whose J+10 falls due within the same second, their deadline rows seeded ${LEAD_MS / 1000} s ahead (states prefetched meanwhile, its cost reported): BullMQ, embedded as reference (lateness p99 < ${TARGET_P99_MS} ms, each fired once)`,
  async run(ctx): Promise<ScenarioOutcome> {
    const rounds = ctx.quick ? QUICK_ROUNDS : ROUNDS;
    const bullmq = await burst(ctx, 'bullmq', rounds);
    const embedded = await burst(ctx, 'embedded', rounds);
    return deadlinesOutcome(bullmq, embedded, TARGET_P99_MS, { rounds, spreadMs: 1_000, leadMs: LEAD_MS });
  },
};
