import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { Pool } from 'pg';
import { PgSqlClient } from '@segur/event-store';
import { withPeakRss } from './lib/measure';
import { isThroughput, type BenchContext, type ScenarioResult } from './lib/scenario';
import { scenarios } from './scenarios';

// One schema per scenario (bench_<name>), dropped before and after it: engineers running different
// scenarios at the same time on the same database do not drop each other's tables.
const schemaOf = (scenario: string): string => `bench_${scenario.replace(/[^a-z0-9]/g, '_')}`;

const parseArgs = (argv: string[]): { quick: boolean; only: string[] } => {
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++)
    if (argv[i] === '--only' && argv[i + 1]) only.push(argv[++i] as string);
  return { quick: argv.includes('--quick'), only };
};

const withSearchPath = (url: string, schema: string): string => {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
};

const context = (quick: boolean, schema: string): BenchContext => {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  return {
    quick,
    databaseUrl,
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    schema,
    async dropSchema() {
      const pool = new Pool({ connectionString: databaseUrl, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => pool.end());
    },
    async resetSchema() {
      const pool = new Pool({ connectionString: databaseUrl, max: 1 });
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await pool.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await pool.end();
      }
    },
    connect: (max = 20) => PgSqlClient.connect(databaseUrl, { schema, max, applicationName: 'segur-bench' }),
    urlWithSchema: () => withSearchPath(databaseUrl, schema),
    log: (message) => console.log(`  ${message}`),
  };
};

/**
 * An `--only` run replaces its scenarios in the last results and keeps the others, in registry
 * order; each scenario keeps the `startedAt` of the run that measured it.
 */
const merged = (latest: string, fresh: ScenarioResult[]): ScenarioResult[] => {
  const previous: ScenarioResult[] = existsSync(latest)
    ? ((JSON.parse(readFileSync(latest, 'utf8')) as { scenarios?: ScenarioResult[] }).scenarios ?? [])
    : [];
  const byName = new Map(previous.map((r) => [r.name, r]));
  for (const r of fresh) byName.set(r.name, r);
  const order = (name: string): number => {
    const i = scenarios.findIndex((s) => s.name === name);
    return i < 0 ? scenarios.length : i;
  };
  return [...byName.values()].sort((a, b) => order(a.name) - order(b.name));
};

const verdict = (ratio: number, target?: number): string =>
  target === undefined ? '' : ratio >= target ? ` ✔ ≥ ${target}` : ` ✘ < ${target}`;

const print = (results: ScenarioResult[]): void => {
  const table = new Table({
    head: ['scenario', 'value', 'p50 ms', 'p99 ms', 'peak RSS', 'references (ratio: >1 = ours better)'],
  });
  for (const r of results) {
    const absolute = Object.entries(r.targets ?? {})
      .map(([unit, min]) => `target ${min} ${unit}: ${r.value >= min ? '✔' : '✘'}`)
      .join('\n');
    const refs = r.references.map(
      (ref) => `${ref.name}: ${ref.value} → ×${ref.ratio}${verdict(ref.ratio, ref.target)}`,
    );
    table.push([
      r.name,
      `${r.value} ${r.unit}`,
      r.p50 ?? '—',
      r.p99 ?? '—',
      `${r.peakRssMb} MB`,
      [...refs, absolute].filter(Boolean).join('\n'),
    ]);
  }
  console.log(table.toString());
};

export const main = async (argv: string[]): Promise<number> => {
  const { quick, only } = parseArgs(argv);
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length) {
    console.error(
      `Unknown scenario(s): ${unknown.join(', ')}. Known: ${scenarios.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const startedAt = new Date().toISOString();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios.filter((s) => !only.length || only.includes(s.name))) {
    console.log(`▶ ${scenario.name}: ${scenario.description}${quick ? ' (quick)' : ''}`);
    const ctx = context(quick, schemaOf(scenario.name));
    const scenarioStartedAt = new Date().toISOString();
    try {
      const { result, peakRssMb } = await withPeakRss(() => scenario.run(ctx));
      results.push({
        name: scenario.name,
        ...result,
        peakRssMb: result.peakRssMb ?? peakRssMb,
        startedAt: scenarioStartedAt,
        quick,
      });
    } finally {
      await ctx.dropSchema();
    }
  }

  print(results);
  const dir = join(__dirname, 'results');
  const latest = join(dir, 'latest.json');
  const report = {
    machine: {
      cpus: cpus().length,
      memGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    startedAt,
    quick,
    scenarios: only.length ? merged(latest, results) : results,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(latest, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results written to bench/results/latest.json`);
  const missed = results.flatMap((r) =>
    r.references
      .filter((ref) => ref.target !== undefined && ref.ratio < ref.target)
      .map((ref) => `${r.name} vs ${ref.name}`),
  );
  if (missed.length) console.log(`Below target: ${missed.join('; ')}`);
  // Targets are reported, never asserted: a bench run on a busy machine is not a failure.
  void isThroughput;
  return 0;
};
