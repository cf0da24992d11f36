import { freePort } from '@segur/platform';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const RUN_TS = join(__dirname, '..', '..', 'test', 'deadlines', 'support', 'run-ts.js');
const ENTRIES = {
  api: join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.ts'),
  worker: join(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.ts'),
} as const;

export type EngineRole = keyof typeof ENTRIES;

export interface Exit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set by the fault that ended the process; an exit without it is a crash. */
  onPurpose: boolean;
}

/**
 * One api or worker of the server mode (apps/api/src/main.ts, apps/worker/src/main.ts) as a real
 * child process. `restart` starts the same role again under the same name (the api on the same
 * port, so the load's clients find it again).
 */
export class EngineProcess {
  child: ChildProcess | null = null;
  private out = '';
  private purpose = false;
  private port = 0;

  constructor(
    readonly name: string,
    readonly role: EngineRole,
    private readonly env: Record<string, string>,
    private readonly exits: Exit[],
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.out;
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const { REDIS_URL: _r, DATABASE_URL: _d, ...rest } = process.env;
    const child = fork(RUN_TS, [ENTRIES[this.role]], {
      // WORKER_HTTP_PORT off: several workers on one host would share its default port.
      env: { ...rest, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', WORKER_HTTP_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.purpose = false;
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.once('exit', (code, signal) =>
      this.exits.push({ name: this.name, code, signal, onPurpose: this.purpose }),
    );
    const ready = this.role === 'api' ? () => this.healthy() : async () => this.out.includes('worker prêt');
    for (let i = 0; ; i++) {
      if (!this.running) throw new Error(`${this.name} s'est arrêté au démarrage :\n${this.out}`);
      if (i > 900) throw new Error(`${this.name} n'est jamais prêt :\n${this.out}`);
      if (await ready()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private healthy(): Promise<boolean> {
    return fetch(`${this.base}/health`).then(
      (r) => r.ok,
      () => false,
    );
  }

  /** Sends `signal` on purpose and waits for the exit. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || !this.running) return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    this.purpose = true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, signal: sig })),
    );
    child.kill(signal);
    return exited;
  }
}
