/** Per-operation latencies in milliseconds; percentiles by sorting once at the end. */
export class Latencies {
  private readonly samples: number[] = [];

  record(ms: number): void {
    this.samples.push(ms);
  }

  async time<T>(fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.samples.push(performance.now() - start);
    }
  }

  percentile(p: number): number | null {
    if (!this.samples.length) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? null;
  }

  static merge(all: Latencies[]): Latencies {
    const merged = new Latencies();
    for (const l of all) merged.samples.push(...l.samples);
    return merged;
  }

  get count(): number {
    return this.samples.length;
  }
}

/**
 * Runs `clients` loops of `op` for `durationMs` (after `warmupMs` not counted) and returns the
 * throughput in ops/s with latencies. Each loop is one client: the next op starts when its last ended.
 */
export const runClosedLoop = async (
  clients: number,
  durationMs: number,
  op: (client: number, i: number) => Promise<unknown>,
  warmupMs = 0,
): Promise<{ opsPerSecond: number; latencies: Latencies; ops: number }> => {
  const latencies = new Latencies();
  const warmupEnd = performance.now() + warmupMs;
  const end = warmupEnd + durationMs;
  let ops = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const start = performance.now();
        await op(client, i);
        if (start >= warmupEnd) {
          latencies.record(performance.now() - start);
          ops++;
        }
      }
    }),
  );
  return { opsPerSecond: ops / (durationMs / 1000), latencies, ops };
};

/** Samples the process RSS while `fn` runs: the peak is what a scenario cost in memory. */
export const withPeakRss = async <T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(timer);
  }
};

export const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

export const round = (value: number | null, digits = 2): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
