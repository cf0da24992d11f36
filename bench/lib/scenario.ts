import type { PgSqlClient } from '@segur/event-store';

export interface BenchContext {
  quick: boolean;
  /** PostgreSQL database the scenarios write to (BENCH_DATABASE_URL). */
  databaseUrl: string;
  redisUrl: string;
  schema: string;
  /** Drops and recreates this scenario's schema (`bench_<name>`), so it starts from empty tables. */
  resetSchema(): Promise<void>;
  /** Run by the harness after the scenario. */
  dropSchema(): Promise<void>;
  /** A pooled client working in the bench schema. */
  connect(max?: number): Promise<PgSqlClient>;
  /** `databaseUrl` with the bench schema as search_path, for third-party references. */
  urlWithSchema(): string;
  log(message: string): void;
}

export interface ReferenceResult {
  name: string;
  value: number;
  /** Ours over theirs for throughputs, theirs over ours for latencies: above 1, we are better. */
  ratio: number;
  /** The ratio this reference must reach, when the scenario has a target. */
  target?: number;
}

export interface ScenarioResult {
  name: string;
  unit: string;
  /** Higher is better for throughputs (`…/s`); lower is better for latencies. */
  value: number;
  p50: number | null;
  p99: number | null;
  peakRssMb: number;
  params: Record<string, unknown>;
  references: ReferenceResult[];
  /** Absolute targets, e.g. { 'events/s': 100000 }. */
  targets?: Record<string, number>;
  /** When this scenario was measured (results of `--only` runs are merged into latest.json). */
  startedAt?: string;
  quick?: boolean;
}

/**
 * `peakRssMb`, when given, is the measured server's own peak (a scenario running the API in a child
 * process); otherwise the harness reports its own process's peak.
 */
export type ScenarioOutcome = Omit<ScenarioResult, 'name' | 'peakRssMb' | 'startedAt' | 'quick'> & {
  peakRssMb?: number;
};

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}

export const isThroughput = (unit: string): boolean => unit.endsWith('/s');

export const reference = (
  unit: string,
  ours: number,
  name: string,
  theirs: number,
  target?: number,
): ReferenceResult => ({
  name,
  value: Math.round(theirs * 100) / 100,
  ratio: Math.round((isThroughput(unit) ? ours / theirs : theirs / ours) * 100) / 100,
  ...(target === undefined ? {} : { target }),
});
