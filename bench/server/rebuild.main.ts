// The rebuild as the rebuild bench measures it: its own process, started with the V8 flags of
// `npm run cli` (see cliNodeFlags in bench/scenarios/rebuild.ts), so its time and peak RSS are the
// rebuild's alone and its heap is configured as the CLI's. Rebuilds every projection but the outbox
// from one read of the store (rebuildProjections, as `npm run cli -- rebuild all` does) in the
// schema BENCH_SCHEMA, then tells its parent the elapsed time and its peak RSS over IPC.
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { NO_TIMERS, buildProjections } from '@segur/worker';
import { loadConfig } from '@segur/platform';
import { PgSqlClient, PostgresEventStore } from '@segur/event-store';
import { rebuildProjections } from '@segur/projections';

/** Peak resident set of this process (kernel-tracked VmHWM), in MB. */
const peakRssMb = (): number => {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) / 1024);
};

export interface RebuildChildResult {
  ms: number;
  /** This process's CPU (every thread: main, GC helpers, libuv) during the rebuild. */
  cpuMs: number;
  peakRssMb: number;
  unswapped: string[];
}

const main = async (): Promise<void> => {
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    JWT_SECRET: 'x'.repeat(32),
    WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
  });
  const sql = await PgSqlClient.connect(config.databaseUrl ?? '', {
    schema: process.env.BENCH_SCHEMA ?? 'public',
    max: 8,
    applicationName: 'segur-bench-rebuild',
  });
  try {
    const projections = buildProjections(config, {
      scheduler: NO_TIMERS,
      logger: pino({ level: 'silent' }),
    }).filter((p) => p.name !== 'email-outbox');
    const store = new PostgresEventStore(sql);
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const results = await rebuildProjections(sql, store, projections, {
      batchSize: Number(process.env.BENCH_BATCH ?? 5_000),
      fresh: true,
    });
    const result: RebuildChildResult = {
      ms: performance.now() - start,
      cpuMs: Math.round(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpuStart))),
      peakRssMb: peakRssMb(),
      unswapped: results.filter((r) => !r.swapped).map((r) => r.projection),
    };
    await new Promise<void>((resolve, reject) =>
      process.send!(result, (error: Error | null) => (error ? reject(error) : resolve())),
    );
  } finally {
    await sql.close();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
