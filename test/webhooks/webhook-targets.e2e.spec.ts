import { webhookSecretKeyOf } from '@segur/platform';
import { WebhookDispatcher, WebhookSecretBox, WebhookSubscriptions, type ResolveAll } from '@segur/webhooks';
import { startTestApp, type TestApp } from '../support/test-app';
import { appendEvents } from './append-events';
import { TestReceiver, receiverPerTest, waitFor } from './receiver';

jest.setTimeout(30_000);

const base = '/api/v1/webhooks';

/** A DNS answer played by the test: the name points wherever the test says, at that moment. */
const resolvingTo =
  (address: string): ResolveAll =>
  () =>
    Promise.resolve([{ address, family: 4 }]);

describe('Webhook targets: nothing a subscriber registers reaches inside the network', () => {
  let t: TestApp;
  let service: string;
  let receiver: TestReceiver;
  const dispatchers: WebhookDispatcher[] = [];

  beforeAll(async () => {
    // WEBHOOK_ALLOW_LOOPBACK unset: a production configuration.
    t = await startTestApp();
    service = t.token('service', undefined, 'service-cibles');
  });
  receiverPerTest((r) => (receiver = r), dispatchers);
  afterAll(() => t.close());

  const box = (): WebhookSecretBox => new WebhookSecretBox(webhookSecretKeyOf(t.infra.config));

  const create = (url: string) =>
    t.http().post(base).auth(service, { type: 'bearer' }).send({ url, types: [] });

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback over http', 'http://127.0.0.1:8080/hook'],
    ['the name localhost', 'https://localhost/hook'],
    ['a name under localhost', 'http://api.localhost/hook'],
    ['private 10/8', 'https://10.0.0.5/hook'],
    ['private 172.16/12', 'https://172.16.5.4/hook'],
    ['private 192.168/16', 'https://192.168.1.1/hook'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['carrier-grade NAT', 'https://100.64.1.1/hook'],
    ['this network', 'https://0.0.0.0/hook'],
    ['multicast', 'https://224.0.0.1/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['IPv6 link-local', 'https://[fe80::1]/hook'],
    ['IPv6 unique-local', 'https://[fd00::1]/hook'],
    ['IPv4-mapped IPv6 of a private address', 'https://[::ffff:10.0.0.1]/hook'],
    ['IPv4-mapped IPv6 of loopback', 'https://[::ffff:127.0.0.1]/hook'],
  ])('refuses a subscription to %s (%s): 400 on url, nothing stored', async (_, url) => {
    const res = await create(url);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['url']);
    const rows = await t.infra.sql.query('SELECT 1 FROM webhooks WHERE url = $1', [url]);
    expect(rows.rows).toHaveLength(0);
  });

  it('accepts a public address', async () => {
    expect((await create('https://93.184.216.34/hook')).status).toBe(201);
  });

  /** A subscription stored while the name pointed outside, as a DNS rebinding attack starts. */
  const storedSubscription = async (url: string): Promise<string> => {
    const subscriptions = new WebhookSubscriptions(
      t.infra.sql,
      t.infra.store,
      box(),
      { allowLoopback: false },
      resolvingTo('93.184.216.34'),
    );
    return (await subscriptions.create('service-cibles', { url, types: [] })).id;
  };

  const dispatcher = (allowLoopback: boolean, resolveAll?: ResolveAll): WebhookDispatcher => {
    const d = new WebhookDispatcher(t.infra.sql, t.infra.store, t.infra.logger, {
      pollIntervalMs: 30,
      requestTimeoutMs: 1_000,
      backoff: { baseMs: 40, maxMs: 250 },
      allowLoopback,
      secretBox: box(),
      ...(resolveAll ? { resolveAll } : {}),
    });
    dispatchers.push(d);
    d.start();
    return d;
  };

  const deliveries = async (id: string) =>
    (
      await t.infra.sql.query<{ status_code: number | null; error: string | null; duration_ms: number }>(
        'SELECT status_code, error, duration_ms FROM webhook_deliveries WHERE webhook_id = $1',
        [id],
      )
    ).rows;

  it('a name that resolves to 127.0.0.1 at delivery time is refused when loopback is not allowed (DNS rebinding)', async () => {
    const id = await storedSubscription(`http://recepteur.example.fr:${receiver.port}/rebind`);
    dispatcher(false, resolvingTo('127.0.0.1'));
    await appendEvents(t.infra, 2);
    await waitFor('deux tentatives', async () => (await deliveries(id)).length >= 2);
    expect(receiver.requests).toHaveLength(0);
    for (const d of await deliveries(id))
      expect(d).toEqual({ status_code: null, error: 'connexion impossible', duration_ms: 0 });
    const [row] = (
      await t.infra.sql.query<{ last_error: string }>('SELECT last_error FROM webhooks WHERE id = $1', [id])
    ).rows;
    expect(row?.last_error).toBe('connexion impossible');
  });

  it('the same delivery reaches the receiver once loopback is allowed: the refusal above was the check', async () => {
    const id = await storedSubscription(`http://recepteur.example.fr:${receiver.port}/permis`);
    dispatcher(true, resolvingTo('127.0.0.1'));
    await appendEvents(t.infra, 1);
    await waitFor('livré', () => receiver.accepted('/permis').length >= 1);
    // The dispatcher records the attempt once the receiver has answered: wait for the row.
    await waitFor('journal', async () => (await deliveries(id)).some((d) => d.status_code === 200));
    expect((await deliveries(id)).some((d) => d.status_code === 200)).toBe(true);
  });

  it('a literal loopback address or the name localhost is refused at delivery when not allowed', async () => {
    const literal = await new WebhookSubscriptions(t.infra.sql, t.infra.store, box(), {
      allowLoopback: true,
    }).create('service-cibles', { url: receiver.url('/litteral'), types: [] });
    const named = await new WebhookSubscriptions(t.infra.sql, t.infra.store, box(), {
      allowLoopback: true,
    }).create('service-cibles', { url: `http://localhost:${receiver.port}/nom`, types: [] });
    dispatcher(false);
    await appendEvents(t.infra, 1);
    await waitFor(
      'une tentative chacun',
      async () => (await deliveries(literal.id)).length >= 1 && (await deliveries(named.id)).length >= 1,
    );
    expect(receiver.requests).toHaveLength(0);
    for (const d of [...(await deliveries(literal.id)), ...(await deliveries(named.id))])
      expect(d.error).toBe('connexion impossible');
  });
});
