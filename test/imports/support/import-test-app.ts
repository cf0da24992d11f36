import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestSqlClient } from '@segur/event-store';
import { JwtVerifier, type ApiRole } from '@segur/auth';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { DEFAULT_COULOIRS, type CouloirsConfig } from '@segur/domain';
import { createApiApp } from '../../../apps/api/src/bootstrap';

type TestAgent = ReturnType<typeof request>;

export const JWT_SECRET = 'e2e-imports-secret-0123456789abcdefghij';

export interface ImportTestApp {
  app: NestExpressApplication;
  infra: Infrastructure;
  http: TestAgent;
  token(role: ApiRole, siret?: string): string;
  close(): Promise<void>;
}

/** The whole API over HTTP on its own schema (PostgreSQL with TEST_DATABASE_URL, else PGlite). */
export const startImportTestApp = async (
  options: { env?: Record<string, string>; couloirs?: CouloirsConfig } = {},
): Promise<ImportTestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'segur-imports-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, JWT_SECRET, ...options.env };
  if (options.couloirs) {
    const file = join(dataDir, 'couloirs.json');
    writeFileSync(file, JSON.stringify(options.couloirs));
    env.COULOIRS_FILE = file;
  }
  const sql = await createTestSqlClient('imp');
  const infra = await openEngine(loadConfig({ RATE_LIMIT_IMPORTS: '1000000', ...process.env, ...env }), {
    sql: sql.client,
  });
  const app = await createApiApp(infra);
  await app.init();
  const verifier = new JwtVerifier({ secret: JWT_SECRET, jwksUrl: null });
  return {
    app,
    infra,
    http: request(app.getHttpServer()),
    token: (role, siret) =>
      verifier.sign({ sub: `${role}-${siret ?? 'bo'}`, role, ...(siret ? { siret } : {}) }),
    async close() {
      await app.close();
      await infra.close();
      await sql.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Closing dates in the past for every couloir: rule 4. */
export const couloirsClosed = (): CouloirsConfig =>
  Object.fromEntries(
    Object.entries(DEFAULT_COULOIRS).map(([k, c]) => [k, { ...c, clotureSolde: '2020-01-01' }]),
  );
