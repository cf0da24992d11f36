import { deleteKeysWithPrefix, uniqueRedisPrefix } from '../../libs/scheduling/src/testing/redis-test-prefix';
import { openSharedTestDatabase, type SharedTestDatabase } from '../support/shared-test-database';
import { startTestApp, type TestApp } from '../support/test-app';

interface Problem {
  code: string;
  detail: string;
}

// Counting refusals with a small limit and a long window: nothing here depends on timing.
const LIMITS = {
  RATE_LIMIT_WINDOW: 'PT1H',
  RATE_LIMIT_WEBHOOKS: '3',
  RATE_LIMIT_COMMANDS: '2',
  RATE_LIMIT_IMPORTS: '2',
};

describe('per-principal rate limits (in memory, one process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(LIMITS);
  });
  afterAll(() => t.close());

  it('webhook management: the 4th request in the window gets 429 TROP_DE_REQUETES with Retry-After', async () => {
    const statuses: number[] = [];
    let refused: { body: Problem; type: string; retryAfter: string | undefined } | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await t
        .http()
        .get('/api/v1/webhooks')
        .auth(t.token('service', undefined, 'svc-a'), { type: 'bearer' });
      statuses.push(res.status);
      if (res.status === 429)
        refused = {
          body: res.body as Problem,
          type: String(res.headers['content-type']),
          retryAfter: res.headers['retry-after'],
        };
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(refused?.type).toContain('application/problem+json');
    expect(refused?.body.code).toBe('TROP_DE_REQUETES');
    expect(refused?.body.detail).toContain('Trop de requêtes');
    expect(Number(refused?.retryAfter)).toBeGreaterThan(0);
    // Another principal has a budget of its own.
    const other = await t
      .http()
      .get('/api/v1/webhooks')
      .auth(t.token('service', undefined, 'svc-b'), { type: 'bearer' });
    expect(other.status).toBe(200);
  });

  it('imports: counted per principal before the body is read', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t
        .http()
        .post('/api/v1/imports/avance')
        .auth(t.token('assistance', undefined, 'imp-a'), { type: 'bearer' })
        .send({ pas: 'un import' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
  });

  it('an unauthenticated caller is not counted against anyone (401 first)', async () => {
    const res = await t.http().get('/api/v1/webhooks');
    expect(res.status).toBe(401);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const databaseUrl = process.env.TEST_DATABASE_URL;
(redisUrl && databaseUrl ? describe : describe.skip)(
  'per-principal rate limits shared by two api processes through Redis',
  () => {
    const prefix = uniqueRedisPrefix('rate');
    let db: SharedTestDatabase;
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      db = await openSharedTestDatabase('rate');
      const env = { ...LIMITS, RATE_LIMIT_WEBHOOKS: '4', REDIS_URL: redisUrl ?? '', BULLMQ_PREFIX: prefix };
      a = await startTestApp(env, { database: db });
      b = await startTestApp(env, { database: db });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await db.teardown();
      await deleteKeysWithPrefix(redisUrl ?? '', prefix);
    });

    it('the budget is one across both processes', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        for (const app of [a, b]) {
          const res = await app
            .http()
            .get('/api/v1/webhooks')
            .auth(app.token('service', undefined, 'svc-shared'), { type: 'bearer' });
          statuses.push(res.status);
        }
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    });
  },
);
