import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { NO_TIMERS, buildProjections } from '@segur/worker';
import { loadConfig } from '@segur/platform';
import { PostgresEventStore, migrateEventStore } from '@segur/event-store';
import { migrateProjections } from '@segur/projections';
import { machineCpuMs } from '../lib/machine-cpu';
import { reference, type Scenario } from '../lib/scenario';
import type { RebuildChildResult } from '../server/rebuild.main';
import { seedLifecycles } from './lifecycles';

const BATCH = 5_000;
const READ_PAGE = 5_000;
const ROOT = join(__dirname, '..', '..');

/**
 * The V8 flags `npm run cli` starts the CLI with (package.json's "cli" script), which the rebuild
 * child gets too: the bench measures the rebuild as the CLI runs it, not with this harness's heap.
 */
const cliNodeFlags = (): string[] => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { cli: string } };
  return pkg.scripts.cli.split(/\s+/).filter((arg) => arg.startsWith('--'));
};

/** rebuildProjections in a child process (bench/server/rebuild.main.ts), on the scenario's schema. */
const rebuildInChild = (databaseUrl: string, schema: string): Promise<RebuildChildResult> =>
  new Promise((resolve, reject) => {
    const child = fork(
      join(ROOT, 'bench', 'server', 'run-ts.js'),
      [join(ROOT, 'bench', 'server', 'rebuild.main.ts')],
      {
        cwd: ROOT,
        execArgv: cliNodeFlags(),
        env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_SCHEMA: schema, BENCH_BATCH: String(BATCH) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    let result: RebuildChildResult | null = null;
    child.once('message', (m) => (result = m as RebuildChildResult));
    child.once('error', reject);
    child.once('exit', (code) =>
      result && code === 0
        ? resolve(result)
        : reject(new Error(`rebuild: child process exited with code ${code}`)),
    );
  });

export const rebuild: Scenario = {
  name: 'rebuild',
  description: 'every projection (but email-outbox) rebuilt from zero over realistic dossier lifecycles',
  async run(ctx) {
    const target = ctx.quick ? 100_000 : 1_000_000;
    const unit = 'events/s';
    await ctx.resetSchema();
    const sql = await ctx.connect(8);
    try {
      await migrateEventStore(sql);
      const seedStart = performance.now();
      const seeded = await seedLifecycles(sql, target);
      ctx.log(
        `seeded ${seeded.events} events (${seeded.dossiers} dossiers) in ${Math.round(performance.now() - seedStart)} ms`,
      );
      // A store being rebuilt has long been vacuumed and analyzed by autovacuum, and its pages
      // written out; a million rows seeded a second ago have not: without this, the rebuild shares
      // the machine with the seed's checkpoint and reads a table without statistics or visibility
      // map (on 2026-11-23: 42.4k and 43.8k events/s without, 45.8k to 49.1k over three runs with).
      await sql.query('VACUUM ANALYZE es_events');
      await sql.query('CHECKPOINT');
      const store = new PostgresEventStore(sql);
      const config = loadConfig({
        DATABASE_URL: ctx.databaseUrl,
        JWT_SECRET: 'x'.repeat(32),
        WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
      });
      const projections = buildProjections(config, {
        scheduler: NO_TIMERS,
        logger: pino({ level: 'silent' }),
      }).filter((p) => p.name !== 'email-outbox');
      await migrateProjections(sql, projections);

      // Reference first: the raw read of every event through the port, pages of READ_PAGE.
      const readStart = performance.now();
      let read = 0;
      for (let after: string | null = null; ;) {
        const page = await store.readAll({ after, limit: READ_PAGE });
        read += page.events.length;
        if (page.events.length === 0) break;
        after = page.cursor;
      }
      if (read !== seeded.events) throw new Error(`rebuild: read ${read} events, expected ${seeded.events}`);
      const raw = seeded.events / ((performance.now() - readStart) / 1000);
      ctx.log(`raw readAll: ${Math.round(raw)}/s`);

      // All projections from one read of the store (rebuildProjections), then each swapped, in a
      // process of its own started as `npm run cli` starts the CLI; timed there, from the call to
      // its return (not the child's start-up and compilation).
      const machineBefore = machineCpuMs();
      const child = await rebuildInChild(ctx.databaseUrl, ctx.schema);
      const machineAfter = machineCpuMs();
      const ours = seeded.events / (child.ms / 1000);
      // The rest of the machine's CPU over the child's life (start-up and compilation included,
      // a second or so): PostgreSQL's, on a quiet machine.
      const otherCpuMs =
        machineBefore === null || machineAfter === null ? null : machineAfter - machineBefore - child.cpuMs;
      if (child.unswapped.length) throw new Error(`rebuild: not swapped: ${child.unswapped.join(', ')}`);
      ctx.log(
        `all: ${Math.round(ours)}/s (rebuild process: ${cliNodeFlags().join(' ') || 'no V8 flags'}, peak RSS ${child.peakRssMb} MB)`,
      );
      ctx.log(
        `CPU: rebuild process ${(child.cpuMs / 1000).toFixed(1)} s over ${(child.ms / 1000).toFixed(1)} s, ` +
          `rest of the machine (PostgreSQL) ${otherCpuMs === null ? 'unknown' : `${(otherCpuMs / 1000).toFixed(1)} s`}`,
      );
      const suivi = await sql.query<{ n: string }>('SELECT count(*) AS n FROM suivi_dossiers');
      if (Number(suivi.rows[0]?.n) !== seeded.dossiers)
        throw new Error(`rebuild: ${suivi.rows[0]?.n} suivi rows, expected ${seeded.dossiers}`);

      return {
        unit,
        value: Math.round(ours),
        p50: null,
        p99: null,
        // The rebuild process's own peak (the raw read above runs in the harness process).
        peakRssMb: child.peakRssMb,
        params: {
          events: seeded.events,
          dossiers: seeded.dossiers,
          projections: projections.map((p) => p.name),
          batchSize: BATCH,
          rebuildNodeFlags: cliNodeFlags(),
          rebuildCpuMs: child.cpuMs,
          otherCpuMs,
        },
        references: [reference(unit, ours, `raw store.readAll pages of ${READ_PAGE}`, raw)],
        targets: { 'events/s': 50_000 },
      };
    } finally {
      await sql.close();
    }
  },
};
