import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './scenario';
import { buildServer } from './server-build';

const ROOT = join(__dirname, '..', '..');

export interface ChildApi {
  baseUrl: string;
  pid: number;
  /** Current resident set of the server process, in MB. */
  rssMb(): number;
  /** The server process's peak resident set so far (kernel-tracked VmHWM), in MB. */
  peakRssMb(): number;
  /** CPU time the server process has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** `VmRSS` / `VmHWM` of a live process, in MB (Linux). */
const statusMb = (pid: number, field: 'VmRSS' | 'VmHWM'): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  const kb = Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN);
  return Math.round(kb / 1024);
};

/** utime + stime of a live process from /proc/<pid>/stat (Linux), in ms. */
const cpuMsOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), "(…)": utime and stime are 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
};

// USER_HZ: 100 on every Linux build Node runs on.
const CLOCK_TICKS = 100;

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/**
 * Starts the API, compiled as for production (see server-build.ts), in a child process on the
 * scenario's schema (see bench/server/api-server.main.ts). `BENCH_CPU_PROF=<dir>` runs it under
 * `--cpu-prof`, the profile written to <dir> on stop.
 */
export const startChildApi = async (
  ctx: BenchContext,
  env: Record<string, string>,
  options: { nodeArgs?: string[] } = {},
): Promise<ChildApi> => {
  const profDir = process.env.BENCH_CPU_PROF;
  const build = buildServer();
  const child = fork(join(build.root, 'bench', 'server', 'api-server.main.js'), [], {
    cwd: ROOT,
    execArgv: [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), ...(options.nodeArgs ?? [])],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: ctx.databaseUrl,
      WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
      BENCH_SCHEMA: ctx.schema,
      // The bench drives thousands of requests from one principal: per-principal limits off.
      RATE_LIMIT_IMPORTS: '1000000',
      RATE_LIMIT_COMMANDS: '1000000',
      RATE_LIMIT_WEBHOOKS: '1000000',
      ...env,
    },
    // stdout carries the server's info logs (routes mapped…); errors still show on stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`API (bench) arrêtée au démarrage, code ${code}`)));
  }).finally(() => child.removeAllListeners('exit'));
  // Everything is loaded once it listens: the build is no longer needed.
  build.remove();
  const pid = child.pid as number;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    rssMb: () => statusMb(pid, 'VmRSS'),
    peakRssMb: () => statusMb(pid, 'VmHWM'),
    cpuMs: () => cpuMsOf(pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
};
