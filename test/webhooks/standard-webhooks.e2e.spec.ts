import { Webhook } from 'standardwebhooks';
import {
  WebhookDispatcher,
  WebhookSecretBox,
  verifyStandardWebhook,
  type WebhookDispatcherOptions,
} from '@segur/webhooks';
import { webhookSecretKeyOf } from '@segur/platform';
import { startTestApp, type TestApp } from '../support/test-app';
import { appendEvents } from './append-events';
import { TestReceiver, receiverPerTest, waitFor, type ReceivedRequest } from './receiver';

jest.setTimeout(30_000);

/** What a receiver does with the `standardwebhooks` library: true when `verify` accepts the request. */
const libraryAccepts = (secret: string, r: ReceivedRequest): boolean => {
  try {
    new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

describe('Webhooks per Standard Webhooks: verified by the standardwebhooks library as a receiver would', () => {
  let t: TestApp;
  let service: string;
  let receiver: TestReceiver;
  const dispatchers: WebhookDispatcher[] = [];

  const dispatcher = (options: Partial<WebhookDispatcherOptions> = {}): void => {
    const d = new WebhookDispatcher(t.infra.sql, t.infra.store, t.infra.logger, {
      pollIntervalMs: 30,
      requestTimeoutMs: 1_000,
      backoff: { baseMs: 40, maxMs: 250 },
      allowLoopback: true,
      secretBox: new WebhookSecretBox(webhookSecretKeyOf(t.infra.config)),
      ...options,
    });
    dispatchers.push(d);
    d.start();
  };

  const subscribe = async (path: string): Promise<{ id: string; secret: string }> => {
    const res = await t
      .http()
      .post('/api/v1/webhooks')
      .auth(service, { type: 'bearer' })
      .send({ url: receiver.url(path), types: [] });
    expect(res.status).toBe(201);
    return res.body;
  };

  const received = (path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path);

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true' });
    service = t.token('service', undefined, 'service-standard');
  });
  receiverPerTest((r) => (receiver = r), dispatchers);
  afterAll(() => t.close());

  it('a whsec_<base64> secret; webhook-id is the event id; the library verifies and refuses a tampered body', async () => {
    const sub = await subscribe('/std');
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    dispatcher();
    await appendEvents(t.infra, 3);
    await waitFor('3 livrés', () => received('/std').length >= 3);
    for (const r of received('/std')) {
      const event = JSON.parse(r.body) as { id: string };
      expect(r.headers['webhook-id']).toBe(event.id);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(libraryAccepts(sub.secret, r)).toBe(true);
      expect(verifyStandardWebhook({ secret: sub.secret, headers: r.headers, body: r.body })).toBe(true);
      expect(libraryAccepts(sub.secret, { ...r, body: r.body.replace('"i":', '"i": ') })).toBe(false);
      expect(libraryAccepts(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, r)).toBe(false);
      // The signed content includes the id: a replay under another id is refused.
      expect(libraryAccepts(sub.secret, { ...r, headers: { ...r.headers, 'webhook-id': 'autre' } })).toBe(
        false,
      );
      // Migration release: the first scheme's headers are still there by default.
      expect(r.headers['segur-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    }
  });

  it('rotation: two signatures during the overlap, each secret verifies with the library; the old one refused once revoked', async () => {
    const sub = await subscribe('/rot');
    dispatcher();
    const rotate = (body: object) =>
      t.http().post(`/api/v1/webhooks/${sub.id}/secret`).auth(service, { type: 'bearer' }).send(body);
    const rotated = await rotate({});
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    await appendEvents(t.infra, 2);
    await waitFor('2 livrés', () => received('/rot').length >= 2);
    for (const r of received('/rot')) {
      expect(r.headers['webhook-signature']).toMatch(/^v1,\S{44} v1,\S{44}$/);
      expect(libraryAccepts(newSecret, r)).toBe(true);
      expect(libraryAccepts(sub.secret, r)).toBe(true);
    }
    const revoked = await rotate({ keepPreviousSeconds: 0 });
    await appendEvents(t.infra, 1);
    await waitFor('3 livrés', () => received('/rot').length >= 3);
    const last = received('/rot').at(-1) as ReceivedRequest;
    expect(last.headers['webhook-signature']).toMatch(/^v1,\S{44}$/);
    expect(libraryAccepts(revoked.body.secret as string, last)).toBe(true);
    expect(libraryAccepts(newSecret, last)).toBe(false);
  });

  it('WEBHOOK_LEGACY_HEADERS=false: the Segur-* headers are gone, the standard ones remain', async () => {
    const sub = await subscribe('/sans-ancien');
    dispatcher({ legacyHeaders: false });
    await appendEvents(t.infra, 1);
    await waitFor('livré', () => received('/sans-ancien').length >= 1);
    const r = received('/sans-ancien')[0] as ReceivedRequest;
    expect(Object.keys(r.headers).filter((h) => h.startsWith('segur-'))).toEqual([]);
    expect(libraryAccepts(sub.secret, r)).toBe(true);
  });

  it('a secret issued before the switch (base64url) still signs, verifiable with its bytes', async () => {
    const sub = await subscribe('/ancien-secret');
    const bytes = Buffer.alloc(32, 0xfb); // encodes with '-' and '_' in base64url
    const old = `whsec_${bytes.toString('base64url')}`;
    expect(old).toMatch(/[-_]/);
    const box = new WebhookSecretBox(webhookSecretKeyOf(t.infra.config));
    await t.infra.sql.query('UPDATE webhooks SET secret = $2 WHERE id = $1', [sub.id, box.seal(old)]);
    dispatcher();
    await appendEvents(t.infra, 1);
    await waitFor('livré', () => received('/ancien-secret').length >= 1);
    const r = received('/ancien-secret')[0] as ReceivedRequest;
    // Same key bytes written in standard base64: what a strict receiver library needs.
    expect(libraryAccepts(`whsec_${bytes.toString('base64')}`, r)).toBe(true);
    expect(verifyStandardWebhook({ secret: old, headers: r.headers, body: r.body })).toBe(true);
  });
});
