import { freePort } from '@segur/platform';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const RUN_TS = join(__dirname, '..', '..', 'deadlines', 'support', 'run-ts.js');
const ENTRIES = {
  api: join(__dirname, '..', '..', '..', 'apps', 'api', 'src', 'main.ts'),
  worker: join(__dirname, '..', '..', '..', 'apps', 'worker', 'src', 'main.ts'),
} as const;

export type Role = keyof typeof ENTRIES;

export interface Member {
  name: string;
  role: Role;
  child: ChildProcess;
  base: string | null;
  /** Set before a signal is sent on purpose: that exit is expected. */
  doomed: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The engine's real server-mode processes (`apps/api/src/main.ts`, `apps/worker/src/main.ts`) as
 * children: signals, sockets and crashes behave as in production. Every exit not announced by
 * `kill` is recorded as an unexpected death.
 */
export class Fleet {
  readonly members: Member[] = [];
  readonly unexpected: string[] = [];
  private seq = 0;

  constructor(private readonly env: Record<string, string>) {}

  apis(): Member[] {
    return this.members.filter((m) => m.role === 'api' && !m.doomed && m.child.exitCode === null);
  }

  workers(): Member[] {
    return this.members.filter((m) => m.role === 'worker' && !m.doomed && m.child.exitCode === null);
  }

  async start(role: Role): Promise<Member> {
    const port = role === 'api' ? await freePort() : 0;
    const name = `${role}-${++this.seq}`;
    const { REDIS_URL: _r, DATABASE_URL: _d, ...rest } = process.env;
    const child = fork(RUN_TS, [ENTRIES[role]], {
      // Several workers on one host: their own HTTP port (metrics, health) is off here.
      env: {
        ...rest,
        ...this.env,
        ...(role === 'api' ? { PORT: String(port), HOST: '127.0.0.1' } : { WORKER_HTTP_PORT: '0' }),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let out = '';
    const keep = (d: Buffer): void => {
      out += d.toString();
      if (out.length > 400_000) out = out.slice(-200_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const member: Member = {
      name,
      role,
      child,
      base: role === 'api' ? `http://127.0.0.1:${port}` : null,
      doomed: false,
      exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
      output: () => out,
    };
    void member.exited.then(({ code, signal }) => {
      if (!member.doomed) this.unexpected.push(`${name} (${code ?? signal})\n${out.slice(-4000)}`);
    });
    this.members.push(member);
    for (let i = 0; ; i++) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${name} s'est arrêté au démarrage :\n${out.slice(-4000)}`);
      if (i > 900) throw new Error(`${name} ne démarre pas :\n${out.slice(-4000)}`);
      const up =
        role === 'api'
          ? await fetch(`${member.base as string}/health`).then(
              (r) => r.ok,
              () => false,
            )
          : out.includes('worker prêt');
      if (up) return member;
      await sleep(200);
    }
  }

  /** Sends `signal` on purpose and waits for the exit; returns it. */
  async kill(
    member: Member,
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    member.doomed = true;
    member.child.kill(signal);
    return member.exited;
  }

  async stopAll(): Promise<void> {
    for (const m of this.members)
      if (m.child.exitCode === null && m.child.signalCode === null) await this.kill(m, 'SIGKILL');
  }
}
