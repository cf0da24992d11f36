import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { JwtVerifier, type ApiRole } from '@segur/auth';
import type { Clock } from '@segur/kernel';
import { WorkerModule } from '@segur/worker';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { createTestSqlClient } from '@segur/event-store';
import { createApiApp } from '../../apps/api/src/bootstrap';
import type { SharedTestDatabase } from './shared-test-database';

export const TEST_JWT_SECRET = 'test-secret-with-at-least-32-characters!!';

export interface TestApp {
  app: NestExpressApplication;
  infra: Infrastructure;
  http: () => request.Agent;
  token: (role: ApiRole, siret?: string | string[], sub?: string) => string;
  close: () => Promise<void>;
}

/**
 * The whole HTTP app on real PostgreSQL (TEST_DATABASE_URL, a schema of its own) or in-memory
 * PGlite, with a temporary DATA_DIR. `env` overrides configuration (durations, couloirs file…);
 * `worker: true` also runs projections, timers and the mail loop in the same process (as `npm start`).
 */
export const startTestApp = async (
  env: Record<string, string> = {},
  options: {
    worker?: boolean;
    /** Several instances on one database (restart, two workers): the file tears it down, not `close`. */
    database?: SharedTestDatabase;
    /** The engine's clock (decisions, idempotency keys): tests step it instead of waiting. */
    clock?: Clock;
    /**
     * Keep the JWKS mode of `env` (JWT_JWKS_URL…) instead of forcing TEST_JWT_SECRET: the app then
     * accepts only the identity provider's tokens, and `token()` signs tokens it refuses.
     */
    jwks?: boolean;
  } = {},
): Promise<TestApp> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'segur-e2e-'));
  const shared = options.database;
  const sql = shared
    ? await shared.connect().then((client) => ({ client, teardown: () => shared.release(client) }))
    : await createTestSqlClient('e2e');
  const config = loadConfig({
    EVENT_STORE: 'postgres',
    LOG_LEVEL: 'silent',
    // Tests drive many requests from one principal; the limits have their own tests
    // (test/security/rate-limits.e2e.spec.ts), which set small ones.
    RATE_LIMIT_IMPORTS: '1000000',
    RATE_LIMIT_COMMANDS: '1000000',
    RATE_LIMIT_WEBHOOKS: '1000000',
    ...env,
    DATA_DIR: dataDir,
    ...(options.jwks ? {} : { JWT_SECRET: TEST_JWT_SECRET }),
  });
  const infra = await openEngine(config, {
    sql: sql.client,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = await createApiApp(infra, options.worker ? { imports: [WorkerModule] } : {});
  await app.init();
  const verifier = new JwtVerifier({ ...config.jwt, secret: TEST_JWT_SECRET });
  return {
    app,
    infra,
    http: () => request.agent(app.getHttpServer()),
    token: (role, siret, sub) =>
      verifier.sign({
        sub: sub ?? `${role}-${Array.isArray(siret) ? siret.join('+') : (siret ?? 'bo')}`,
        role,
        ...(siret ? { siret } : {}),
      }),
    close: async () => {
      await app.close();
      await infra.close();
      await sql.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** A tiny valid PDF (magic bytes are what the API checks). */
export const pdf = (text = 'piece'): Buffer =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

/** A clock the test moves by hand: `advance` steps it, nothing waits on the wall clock. */
export class SteppedClock implements Clock {
  constructor(private at = new Date()) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}
