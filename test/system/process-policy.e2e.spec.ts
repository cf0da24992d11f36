import { fork } from 'node:child_process';
import { join } from 'node:path';

// The process-wide policy in a real process: what survives, what stops it, with which exit code.
jest.setTimeout(60_000);

const RUN_TS = join(__dirname, '..', 'deadlines', 'support', 'run-ts.js');

const run = (policyCase: string): Promise<{ code: number | null; alive: boolean; output: string }> =>
  new Promise((resolve) => {
    const child = fork(RUN_TS, [join(__dirname, 'support', 'policy.child.ts')], {
      env: { ...process.env, POLICY_CASE: policyCase },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    let alive = false;
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('message', (m: { alive?: boolean }) => {
      if (m.alive) alive = true;
    });
    child.once('exit', (code) => resolve({ code, alive, output }));
  });

describe('politique du processus (erreurs non interceptées)', () => {
  it('une promesse rejetée sans catch est journalisée et le processus continue', async () => {
    const r = await run('rejection');
    expect(r.alive).toBe(true);
    expect(r.code).toBe(0);
    expect(r.output).toContain('promesse rejetée sans traitement');
  });

  it('une connexion perdue non interceptée est journalisée et le processus continue', async () => {
    const r = await run('lost-connection');
    expect(r.alive).toBe(true);
    expect(r.output).toContain('connexion perdue non interceptée');
  });

  it('toute autre exception arrête le processus par le chemin d’arrêt, code 1', async () => {
    const r = await run('bug');
    expect(r.alive).toBe(false);
    expect(r.code).toBe(1);
    expect(r.output).toContain('exception non interceptée');
    expect(r.output).toContain('arrêt terminé');
  });
});
