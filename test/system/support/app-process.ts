import { freePort } from '@segur/platform';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { JwtVerifier, type ApiRole } from '@segur/auth';

export const CHILD_JWT_SECRET = 'test-secret-with-at-least-32-characters!!';

const RUN_TS = join(__dirname, '..', '..', 'deadlines', 'support', 'run-ts.js');
const ENTRY = join(__dirname, '..', '..', '..', 'apps', 'api', 'src', 'embedded.ts');

/** A database of its own on the test server, so its backends can be terminated without harm. */
export const createDatabase = async (
  baseUrl: string,
  prefix: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> => {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

/** Ends every session of `database` but ours, as a restart or a failover does. */
export const terminateBackends = async (baseUrl: string, database: string): Promise<number> => {
  const c = new Client({ connectionString: baseUrl });
  await c.connect();
  const r = await c.query<{ ok: boolean }>(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  await c.end();
  return r.rows.filter((row) => row.ok).length;
};

export interface AppProcess {
  child: ChildProcess;
  base: string;
  dataDir: string;
  /** stdout and stderr of the process so far (shown when a test fails). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  token: (role: ApiRole, siret?: string) => string;
  stop: () => Promise<void>;
}

/**
 * `npm start`'s entry point (apps/api/src/embedded.ts: API, projections, timers, mail) as a real
 * child process: signals, sockets and unhandled errors behave as in production.
 */
export const startAppProcess = async (env: Record<string, string>): Promise<AppProcess> => {
  const port = await freePort();
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'segur-proc-'));
  const { REDIS_URL: _r, DATABASE_URL: _d, ...rest } = process.env;
  const child = fork(RUN_TS, [ENTRY], {
    env: {
      ...rest,
      EVENT_STORE: 'postgres',
      // The load is the point here, not the per-principal rate limits (tested on their own).
      RATE_LIMIT_IMPORTS: '1000000',
      RATE_LIMIT_COMMANDS: '1000000',
      RATE_LIMIT_WEBHOOKS: '1000000',
      JWT_SECRET: CHILD_JWT_SECRET,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = `http://127.0.0.1:${port}`;
  const verifier = new JwtVerifier({ secret: CHILD_JWT_SECRET, jwksUrl: null });
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; ; i++) {
    if (gone) throw new Error(`le processus s'est arrêté au démarrage :\n${output}`);
    if (i > 600) throw new Error(`le processus ne répond pas sur ${base}/health :\n${output}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    base,
    dataDir,
    output: () => output,
    exited,
    token: (role, siret) =>
      verifier.sign({ sub: `${role}-${siret ?? 'bo'}`, role, ...(siret ? { siret } : {}) }),
    stop: async () => {
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** An open SSE response of the feed, its text accumulated as it comes. */
export const openSse = (
  base: string,
  token: string,
): Promise<{ res: IncomingMessage; text: () => string; closed: Promise<void> }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/v1/events`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE : statut ${res.statusCode}`));
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      const closed = new Promise<void>((r) => {
        res.once('end', () => r());
        res.once('close', () => r());
        res.once('error', () => r());
      });
      resolve({ res, text: () => text, closed });
    });
    req.end();
  });

/** Polls `check` until it returns true, at most `attempts` times, `everyMs` apart. */
export const eventually = async (
  what: string,
  check: () => Promise<boolean> | boolean,
  attempts = 300,
  everyMs = 100,
): Promise<void> => {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`jamais vrai : ${what}`);
};
