import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, eventually, openSse, startAppProcess } from './support/app-process';

// SIGTERM, as an orchestrator sends it: the one shutdown path ends the SSE streams with a final
// comment (an open stream used to keep the HTTP server waiting), stops the runners, closes the
// pools, releases the DATA_DIR lock and exits 0. A real process each time.
jest.setTimeout(180_000);

const baseUrl = process.env.TEST_DATABASE_URL;
const itOnPostgres = baseUrl ? it : it.skip;
if (!baseUrl)
  process.stderr.write(
    '\n[IGNORÉ] shutdown.e2e (mode serveur) : TEST_DATABASE_URL absent, seul le mode embarqué PGlite est testé.\n',
  );

const stopsCleanly = async (env: Record<string, string>): Promise<{ dataDir: string }> => {
  const app = await startAppProcess(env);
  try {
    const sse = await openSse(app.base, app.token('auditeur'));
    await eventually('le flux SSE a commencé', () => sse.text().includes('retry:'));
    app.child.kill('SIGTERM');
    const { code, signal } = await app.exited;
    await sse.closed;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(sse.text()).toContain(': arrêt du serveur');
    expect(app.output()).toContain('arrêt terminé');
    return { dataDir: app.dataDir };
  } finally {
    await app.stop();
  }
};

describe('arrêt sur SIGTERM', () => {
  it('mode embarqué (PGlite) : flux SSE terminé proprement, verrou libéré, code 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'segur-stop-'));
    try {
      await stopsCleanly({ DATA_DIR: dataDir });
      expect(existsSync(join(dataDir, '.lock'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  itOnPostgres('mode serveur (PostgreSQL) : flux SSE terminé proprement, code 0', async () => {
    const db = await createDatabase(baseUrl as string, 'segur_stop');
    try {
      await stopsCleanly({ DATABASE_URL: db.url, WEBHOOK_SECRET_KEY: '3b'.repeat(32) });
    } finally {
      await db.drop();
    }
  });
});
