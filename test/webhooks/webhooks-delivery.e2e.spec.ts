import {
  WebhookDispatcher,
  WebhookSecretBox,
  WebhookSubscriptions,
  verifyWebhookSignature,
} from '@segur/webhooks';
import { webhookSecretKeyOf } from '@segur/platform';
import type { WebhookDispatcherOptions } from '@segur/webhooks';
import type { RecordedEvent } from '@segur/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { appendEvents } from './append-events';
import { TestReceiver, receiverPerTest, waitFor } from './receiver';

const FAST: Omit<WebhookDispatcherOptions, 'secretBox'> = {
  pollIntervalMs: 30,
  requestTimeoutMs: 1_000,
  backoff: { baseMs: 40, maxMs: 250 },
  // The receiver listens on 127.0.0.1: the tests allow loopback like a developer's machine.
  allowLoopback: true,
};

jest.setTimeout(30_000);

describe('Webhook delivery: signed, one event per request, in order, retried until the receiver is back', () => {
  let t: TestApp;
  let service: string;
  let receiver: TestReceiver;
  const dispatchers: WebhookDispatcher[] = [];

  const box = (): WebhookSecretBox => new WebhookSecretBox(webhookSecretKeyOf(t.infra.config));

  const dispatcher = (options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher => {
    const d = new WebhookDispatcher(t.infra.sql, t.infra.store, t.infra.logger, {
      ...FAST,
      secretBox: box(),
      ...options,
    });
    dispatchers.push(d);
    d.start();
    return d;
  };

  const subscribe = async (
    path: string,
    types: string[],
  ): Promise<{ id: string; secret: string; cursor: string | null }> => {
    const res = await t
      .http()
      .post('/api/v1/webhooks')
      .auth(service, { type: 'bearer' })
      .send({ url: receiver.url(path), types });
    expect(res.status).toBe(201);
    return res.body;
  };

  /** What the subscription must receive: everything after its cursor of its types, in global order. */
  const expected = async (after: string | null, types: string[]): Promise<RecordedEvent[]> =>
    (await t.infra.store.readAll({ after, limit: 100_000, ...(types.length ? { filter: { types } } : {}) }))
      .events;

  const deliveryLog = async (id: string) =>
    (await t.http().get(`/api/v1/webhooks/${id}/deliveries?limit=500`).auth(service, { type: 'bearer' })).body
      .deliveries as {
      attempt: number;
      eventId: string;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
    }[];

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true' });
    service = t.token('service', undefined, 'service-compta');
  });
  receiverPerTest((r) => (receiver = r), dispatchers);
  afterAll(() => t.close());

  it('delivers every matching event after the cursor, in order, signed with the secret', async () => {
    await appendEvents(t.infra, 5); // before the subscription: not delivered
    const types = ['AvanceImported', 'AvancePaymentRecorded'];
    const sub = await subscribe('/ordre', types);
    dispatcher();
    await appendEvents(t.infra, 60, ['AvanceImported', 'SoldeImported', 'AvancePaymentRecorded']);
    const want = await expected(sub.cursor, types);
    expect(want).toHaveLength(40);
    await waitFor('40 événements livrés', () => receiver.accepted('/ordre').length >= want.length);

    expect(receiver.accepted('/ordre').map((e) => e.id)).toEqual(want.map((e) => e.id));
    for (const [k, r] of receiver.requests.entries()) {
      const event = want[k] as RecordedEvent;
      expect(JSON.parse(r.body)).toEqual(event);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['segur-event-id']).toBe(event.id);
      expect(r.headers['segur-event-type']).toBe(event.type);
      expect(Math.abs(Number(r.headers['segur-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(r.headers['segur-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
      const check = {
        header: r.headers['segur-signature'] as string,
        timestamp: r.headers['segur-timestamp'] as string,
        body: r.body,
      };
      expect(verifyWebhookSignature({ secret: sub.secret, ...check })).toBe(true);
      expect(verifyWebhookSignature({ secret: 'whsec_autre', ...check })).toBe(false);
      expect(
        verifyWebhookSignature({ secret: sub.secret, ...check, body: r.body.replace('"i":', '"i": ') }),
      ).toBe(false);
    }

    // The cursor followed the deliveries, and skipped the events of other types up to the head.
    await waitFor('curseur en tête', async () => {
      const [w] = (await t.http().get('/api/v1/webhooks').auth(service, { type: 'bearer' })).body as {
        cursor: string;
      }[];
      return w?.cursor === (await t.infra.store.headPosition());
    });
    const log = await deliveryLog(sub.id);
    expect(log).toHaveLength(40);
    expect(log.every((d) => d.statusCode === 200 && d.attempt === 1 && d.error === null)).toBe(true);
  });

  it('a receiver answering 503 for a while gets every event, in order, once back; the log shows the failures', async () => {
    const sub = await subscribe('/indispo', []);
    receiver.status = 503;
    dispatcher();
    await appendEvents(t.infra, 20);
    await waitFor('au moins 4 échecs', async () => (await deliveryLog(sub.id)).length >= 4);
    // The cursor waits: only the first event was tried, again and again.
    const want = await expected(sub.cursor, []);
    const tried = new Set(receiver.requests.map((r) => r.headers['segur-event-id']));
    expect([...tried]).toEqual([want[0]?.id]);

    receiver.status = 200;
    await appendEvents(t.infra, 10);
    const all = await expected(sub.cursor, []);
    await waitFor('30 événements livrés', () => receiver.accepted('/indispo').length >= all.length);
    expect(receiver.accepted('/indispo').map((e) => e.id)).toEqual(all.map((e) => e.id));

    const log = (await deliveryLog(sub.id)).reverse();
    const failed = log.filter((d) => d.statusCode === 503);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.map((d) => d.attempt)).toEqual(failed.map((_, k) => k + 1));
    expect(failed.every((d) => d.eventId === all[0]?.id && d.error === 'réponse HTTP 503')).toBe(true);
    const firstOk = log[failed.length];
    expect(firstOk).toMatchObject({ eventId: all[0]?.id, statusCode: 200, attempt: failed.length + 1 });
  });

  it('a receiver that is down (connection refused) gets every event, in order, once it listens again', async () => {
    const sub = await subscribe('/coupe', ['AvanceImported']);
    await receiver.stop();
    dispatcher();
    await appendEvents(t.infra, 25);
    await waitFor('au moins 3 tentatives refusées', async () => (await deliveryLog(sub.id)).length >= 3);
    const refused = await deliveryLog(sub.id);
    // Nothing finer than "connexion impossible": no ECONNREFUSED, no timing to map the network.
    expect(refused.length).toBeGreaterThan(0);
    for (const d of refused)
      expect(d).toMatchObject({ statusCode: null, error: 'connexion impossible', durationMs: 0 });

    await receiver.start(); // same port
    const all = await expected(sub.cursor, ['AvanceImported']);
    await waitFor('25 événements livrés', () => receiver.accepted('/coupe').length >= all.length);
    expect(receiver.accepted('/coupe').map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('a receiver slower than the timeout: the attempt fails and the same event is sent again (receivers deduplicate)', async () => {
    const sub = await subscribe('/lent', []);
    receiver.delayMs = 600;
    dispatcher({ requestTimeoutMs: 200 });
    await appendEvents(t.infra, 3);
    await waitFor('un délai dépassé', async () => (await deliveryLog(sub.id)).length >= 1);
    receiver.delayMs = 0;
    const all = await expected(sub.cursor, []);
    await waitFor('3 livrés', () => new Set(receiver.accepted('/lent').map((e) => e.id)).size >= 3);
    const log = (await deliveryLog(sub.id)).reverse();
    expect(log[0]).toMatchObject({
      eventId: all[0]?.id,
      statusCode: null,
      error: 'connexion impossible',
      durationMs: 0,
    });
    // The late answer was a 200 the dispatcher never saw: at least once, hence Segur-Event-Id.
    const deduplicated = [...new Map(receiver.accepted('/lent').map((e) => [e.id, e])).keys()];
    expect(deduplicated).toEqual(all.map((e) => e.id));
  });

  it('two dispatchers never deliver to one subscription concurrently: in order, no duplicates', async () => {
    receiver.delayMs = 3;
    const subs = await Promise.all(['/a', '/b', '/c'].map((p) => subscribe(p, [])));
    dispatcher({ concurrency: 2 });
    dispatcher({ concurrency: 2 });
    await appendEvents(t.infra, 60);
    const all = await expected(subs[0]?.cursor ?? null, []);
    for (const path of ['/a', '/b', '/c']) {
      await waitFor(`livraisons ${path}`, () => receiver.accepted(path).length >= all.length, 20_000);
    }
    await new Promise((r) => setTimeout(r, 200)); // a late duplicate would show up now
    for (const path of ['/a', '/b', '/c']) {
      expect(receiver.accepted(path).map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(receiver.maxInflight.get(path)).toBe(1);
    }
  });

  it('stops delivering once the subscription is deleted', async () => {
    const sub = await subscribe('/supprime', []);
    dispatcher();
    await appendEvents(t.infra, 3);
    await waitFor('3 livrés', () => receiver.accepted('/supprime').length >= 3);
    expect(
      (await t.http().delete(`/api/v1/webhooks/${sub.id}`).auth(service, { type: 'bearer' })).status,
    ).toBe(204);
    await appendEvents(t.infra, 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.accepted('/supprime')).toHaveLength(3);
  });

  it('a rotated secret: both signatures during the overlap, the old one refused once revoked', async () => {
    const sub = await subscribe('/rotation', []);
    dispatcher();
    const rotate = (body: object) =>
      t.http().post(`/api/v1/webhooks/${sub.id}/secret`).auth(service, { type: 'bearer' }).send(body);
    const bad = await rotate({ keepPreviousSeconds: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('keepPreviousSeconds');
    const other = t.token('service', undefined, 'service-autre');
    expect(
      (await t.http().post(`/api/v1/webhooks/${sub.id}/secret`).auth(other, { type: 'bearer' }).send({}))
        .status,
    ).toBe(404);

    const rotated = await rotate({});
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      id: sub.id,
      secret: expect.stringMatching(/^whsec_/),
      previousSecretValidUntil: expect.any(String),
    });
    const overlap = Date.parse(rotated.body.previousSecretValidUntil) - Date.now();
    expect(overlap).toBeGreaterThan(23 * 3600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600_000);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(sub.secret);

    await appendEvents(t.infra, 2);
    await waitFor('2 livrés', () => receiver.accepted('/rotation').length >= 2);
    for (const r of receiver.requests.filter((x) => x.path === '/rotation')) {
      const check = {
        header: r.headers['segur-signature'] as string,
        timestamp: r.headers['segur-timestamp'] as string,
        body: r.body,
      };
      expect(check.header).toMatch(/^v1=[0-9a-f]{64}, v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature({ secret: newSecret, ...check })).toBe(true);
      expect(verifyWebhookSignature({ secret: sub.secret, ...check })).toBe(true);
    }

    // A leaked secret: rotate with no overlap, the previous (here `newSecret`) stops signing at once.
    const revoked = await rotate({ keepPreviousSeconds: 0 });
    expect(revoked.body.previousSecretValidUntil).toBeNull();
    await appendEvents(t.infra, 1);
    await waitFor('3 livrés', () => receiver.accepted('/rotation').length >= 3);
    const last = receiver.requests.filter((x) => x.path === '/rotation').at(-1);
    const check = {
      header: last?.headers['segur-signature'] as string,
      timestamp: last?.headers['segur-timestamp'] as string,
      body: last?.body ?? '',
    };
    expect(check.header).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: revoked.body.secret, ...check })).toBe(true);
    expect(verifyWebhookSignature({ secret: newSecret, ...check })).toBe(false);
  });

  it('purges delivery log rows older than the retention, keeps the recent ones', async () => {
    const sub = await subscribe('/retention', []);
    const d = dispatcher({ deliveryRetentionMs: 24 * 3600_000 });
    await appendEvents(t.infra, 3);
    await waitFor('3 livrés', () => receiver.accepted('/retention').length >= 3);
    await t.infra.sql.query(
      `UPDATE webhook_deliveries SET at = now() - interval '25 hours'
       WHERE id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id LIMIT 2)`,
      [sub.id],
    );
    expect(await d.purgeDeliveryLog()).toBeGreaterThanOrEqual(2);
    const log = await deliveryLog(sub.id);
    expect(log).toHaveLength(1);
    expect(await d.purgeDeliveryLog()).toBe(0);
  });
  const view = async (id: string) =>
    (
      (await t.http().get('/api/v1/webhooks').auth(service, { type: 'bearer' })).body as {
        id: string;
        status: string;
        failures: number;
        failingSince: string | null;
        pausedAt: string | null;
        pausedReason: string | null;
      }[]
    ).find((w) => w.id === id);
  const resume = (id: string) =>
    t.http().post(`/api/v1/webhooks/${id}/resume`).auth(service, { type: 'bearer' }).send();

  it('410 Gone pauses the subscription at once, cursor kept; resumed, it gets every event in order', async () => {
    const sub = await subscribe('/parti', []);
    receiver.status = 410;
    dispatcher();
    await appendEvents(t.infra, 5);
    await waitFor('suspendu', async () => (await view(sub.id))?.status === 'paused');
    const paused = await view(sub.id);
    expect(paused).toMatchObject({ status: 'paused', failures: 1, pausedAt: expect.any(String) });
    expect(paused?.pausedReason).toContain('410');
    // Paused means not tried: far longer than the test backoff (≤ 250 ms), still one attempt.
    await new Promise((r) => setTimeout(r, 600));
    expect(await deliveryLog(sub.id)).toHaveLength(1);
    expect(receiver.requests.filter((r) => r.path === '/parti')).toHaveLength(1);

    receiver.status = 200;
    const other = t.token('service', undefined, 'service-autre');
    expect(
      (await t.http().post(`/api/v1/webhooks/${sub.id}/resume`).auth(other, { type: 'bearer' })).status,
    ).toBe(404);
    const resumed = await resume(sub.id);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({
      id: sub.id,
      status: 'active',
      failures: 0,
      failingSince: null,
      pausedAt: null,
      pausedReason: null,
    });
    const all = await expected(sub.cursor, []);
    await waitFor('5 livrés', () => receiver.accepted('/parti').length >= all.length);
    expect(receiver.accepted('/parti').map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('failing without a break for WEBHOOK_PAUSE_AFTER pauses the subscription; nothing is lost once resumed', async () => {
    const sub = await subscribe('/longtemps', []);
    receiver.status = 503;
    dispatcher({ pauseAfterMs: 400 });
    await appendEvents(t.infra, 4);
    await waitFor('suspendu', async () => (await view(sub.id))?.status === 'paused');
    const paused = await view(sub.id);
    expect(paused?.pausedReason).toMatch(/sans interruption/);
    expect(paused?.failures).toBeGreaterThanOrEqual(2);
    expect(paused?.failingSince).not.toBeNull();
    const attempts = (await deliveryLog(sub.id)).length;
    await new Promise((r) => setTimeout(r, 600));
    expect(await deliveryLog(sub.id)).toHaveLength(attempts);

    receiver.status = 200;
    expect((await resume(sub.id)).status).toBe(200);
    const all = await expected(sub.cursor, []);
    await waitFor('4 livrés', () => receiver.accepted('/longtemps').length >= all.length);
    expect(receiver.accepted('/longtemps').map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(await view(sub.id)).toMatchObject({ status: 'active', failures: 0, failingSince: null });
  });

  it('secrets are encrypted at rest; a secret stored in plain before is encrypted at start and still signs', async () => {
    const sub = await subscribe('/chiffre', []);
    const [row] = (
      await t.infra.sql.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [sub.id])
    ).rows;
    expect(row?.secret).toMatch(/^enc:v1:/);
    expect(row?.secret).not.toContain(sub.secret);

    // A row as written before encryption: the plain secret in the column.
    const legacy = await subscribe('/ancien', []);
    const plain = 'whsec_ancien-secret-en-clair-0123456789abcdefghij';
    await t.infra.sql.query('UPDATE webhooks SET secret = $2 WHERE id = $1', [legacy.id, plain]);
    const subscriptions = new WebhookSubscriptions(t.infra.sql, t.infra.store, box());
    expect(await subscriptions.encryptPlaintextSecrets()).toBe(1);
    const [after] = (
      await t.infra.sql.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [legacy.id])
    ).rows;
    expect(after?.secret).toMatch(/^enc:v1:/);
    dispatcher();
    await appendEvents(t.infra, 1);
    await waitFor(
      'livrés',
      () => receiver.accepted('/chiffre').length >= 1 && receiver.accepted('/ancien').length >= 1,
    );
    const check = (path: string, secret: string) => {
      const r = receiver.requests.find((q) => q.path === path);
      if (!r) throw new Error(`rien reçu sur ${path}`);
      return verifyWebhookSignature({
        secret,
        header: r.headers['segur-signature'] as string,
        timestamp: r.headers['segur-timestamp'] as string,
        body: r.body,
      });
    };
    expect(check('/chiffre', sub.secret)).toBe(true);
    expect(check('/ancien', plain)).toBe(true);
  });
});
