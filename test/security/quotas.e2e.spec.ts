import type { AddressInfo } from 'node:net';
import { SseClient } from '../feed/sse-client';
import { startTestApp, type TestApp } from '../support/test-app';

/** Polls `check` until it holds (bounded): no fixed sleep as synchronisation. */
const eventually = async (check: () => Promise<boolean>, bound = 10_000): Promise<void> => {
  const until = Date.now() + bound;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition jamais remplie');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('what one principal may hold open: SSE streams and webhook subscriptions', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({
      FEED_STREAMS_MAX: '2',
      WEBHOOK_SUBSCRIPTIONS_MAX: '2',
      WEBHOOK_ALLOW_LOOPBACK: 'true',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('the 3rd SSE stream of a principal gets 429 TROP_DE_FLUX; closing one frees a place', async () => {
    const auth = { authorization: `Bearer ${t.token('service', undefined, 'svc-flux')}` };
    const first = await SseClient.open(`${base}/api/v1/events`, auth);
    const second = await SseClient.open(`${base}/api/v1/events`, auth);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await SseClient.open(`${base}/api/v1/events`, auth);
    expect(third.status).toBe(429);
    expect(third.res.headers['retry-after']).toBeDefined();
    third.close();
    // Another principal is not affected.
    const other = await SseClient.open(`${base}/api/v1/events`, {
      authorization: `Bearer ${t.token('auditeur', undefined, 'audit-flux')}`,
    });
    expect(other.status).toBe(200);
    other.close();
    first.close();
    let again: SseClient | null = null;
    await eventually(async () => {
      again?.close();
      again = await SseClient.open(`${base}/api/v1/events`, auth);
      return again.status === 200;
    });
    second.close();
    (again as SseClient | null)?.close();
  });

  it('the 3rd live webhook subscription of a principal gets 409 TROP_D_ABONNEMENTS; deleting one frees a place', async () => {
    const service = t.token('service', undefined, 'svc-abonnements');
    const create = () =>
      t
        .http()
        .post('/api/v1/webhooks')
        .auth(service, { type: 'bearer' })
        .send({ url: 'http://127.0.0.1:9/recepteur', types: [] });
    const a = await create();
    const b = await create();
    expect([a.status, b.status]).toEqual([201, 201]);
    const c = await create();
    expect(c.status).toBe(409);
    expect((c.body as { code: string }).code).toBe('TROP_D_ABONNEMENTS');
    const list = await t.http().get('/api/v1/webhooks').auth(service, { type: 'bearer' });
    expect((list.body as unknown[]).length).toBe(2);
    const del = await t
      .http()
      .delete(`/api/v1/webhooks/${(a.body as { id: string }).id}`)
      .auth(service, { type: 'bearer' });
    expect(del.status).toBeLessThan(300);
    expect((await create()).status).toBe(201);
  });
});
