import { CloudEvent, HTTP } from 'cloudevents';
import { WebhookDispatcher, WebhookSecretBox } from '@segur/webhooks';
import { webhookSecretKeyOf } from '@segur/platform';
import type { RecordedEvent } from '@segur/event-store';
import { startTestApp, type TestApp } from '../support/test-app';
import { appendEvents, testEvent, visible } from '../webhooks/append-events';
import { TestReceiver, waitFor } from '../webhooks/receiver';

jest.setTimeout(30_000);

/** What a consumer does with the cloudevents SDK: a structured-mode message, validated. */
const parseCloudEvent = (body: string): CloudEvent<unknown> => {
  const parsed = HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body });
  if (Array.isArray(parsed)) throw new Error('un seul événement attendu');
  (parsed as CloudEvent<unknown>).validate();
  return parsed as CloudEvent<unknown>;
};

const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0);

describe('CloudEvents 1.0 (structured JSON mode) on the feed and the webhooks', () => {
  let t: TestApp;
  let service: string;
  let events: RecordedEvent[];

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true', PUBLIC_URL: 'https://segur.example.fr' });
    service = t.token('service', undefined, 'service-ce');
    await appendEvents(t.infra, 4, ['AvanceImported', 'ModificationRequested']);
    const last = (
      await t.infra.store.appendToStream('dossier-FINOFF000001', [testEvent('SoldeValidated', { x: 1 })], {
        expectedVersion: 'any',
      })
    ).lastPosition;
    await visible(t.infra.store, last);
    events = (await t.infra.store.readAll({ after: null, limit: 1000, filter: { streamPrefix: 'dossier-' } }))
      .events;
    expect(events).toHaveLength(5);
  });
  afterAll(() => t.close());

  const feed = (query: string, accept = 'application/x-ndjson') =>
    t.http().get(`/api/v1/events${query}`).auth(service, { type: 'bearer' }).set('Accept', accept);

  it('Accept: application/cloudevents+json gives one CloudEvent a line, each valid for the SDK', async () => {
    const res = await feed('?limit=100', 'application/cloudevents+json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson; format=cloudevents/);
    const parsed = lines(res.text).map(parseCloudEvent);
    expect(parsed.map((e) => e.id)).toEqual(events.map((e) => e.id));
    const [first, second] = parsed as [CloudEvent<unknown>, CloudEvent<unknown>];
    const e0 = events[0] as RecordedEvent;
    expect(first.specversion).toBe('1.0');
    expect(first.source).toBe('/segur/dossiers');
    expect(first.type).toBe('fr.segur.dossier.avance-importee.v1');
    expect(second.type).toBe('fr.segur.dossier.modification-demandee.v1');
    expect(first.subject).toBe(e0.streamId.slice('dossier-'.length));
    expect(first.time).toBe(new Date(e0.recordedAt).toISOString());
    expect(first.dataschema).toBe('https://segur.example.fr/schemas/events/AvanceImported.v1.json');
    expect(first.datacontenttype).toBe('application/json');
    expect(first['position']).toBe(e0.position);
    expect(first.data).toEqual(e0.data);
    // format=cloudevents says the same without content negotiation.
    const byQuery = await feed('?limit=100&format=cloudevents');
    expect(lines(byQuery.text).map((l) => parseCloudEvent(l).id)).toEqual(events.map((e) => e.id));
  });

  it('filters by numéro ASP prefix and by category; a bad filter is a 400', async () => {
    const off = await feed('?numeroAsp=FINOFF');
    expect(lines(off.text).map((l) => (JSON.parse(l) as RecordedEvent).streamId)).toEqual([
      'dossier-FINOFF000001',
    ]);
    const sas = await feed('?numeroAsp=FINSAS&category=dossier');
    expect(lines(sas.text)).toHaveLength(4);
    expect((await feed('?category=fournisseur')).status).toBe(400);
    expect((await feed('?numeroAsp=FIN%25')).status).toBe(400);
    expect((await feed('?format=xml')).status).toBe(400);
  });

  it('Link rel="next" leads through the whole feed, filters kept', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/v1/events?limit=2&numeroAsp=FIN&format=cloudevents';
    for (let pages = 0; url !== null && pages < 10; pages++) {
      const res = await t.http().get(url).auth(service, { type: 'bearer' });
      expect(res.status).toBe(200);
      const got = lines(res.text).map((l) => parseCloudEvent(l).id);
      if (got.length === 0) break;
      seen.push(...got);
      const link = /^<([^>]+)>; rel="next"$/.exec(String(res.headers['link']));
      url = link?.[1] ?? null;
      expect(url).toContain('numeroAsp=FIN');
    }
    expect(seen).toEqual(events.map((e) => e.id));
  });

  it('a webhook subscription with format cloudevents receives CloudEvents (application/cloudevents+json)', async () => {
    const receiver = new TestReceiver();
    await receiver.start();
    const dispatcher = new WebhookDispatcher(t.infra.sql, t.infra.store, t.infra.logger, {
      pollIntervalMs: 30,
      allowLoopback: true,
      publicUrl: 'https://segur.example.fr',
      secretBox: new WebhookSecretBox(webhookSecretKeyOf(t.infra.config)),
    });
    try {
      const sub = await t
        .http()
        .post('/api/v1/webhooks')
        .auth(service, { type: 'bearer' })
        .send({ url: receiver.url('/ce'), types: [], from: 'beginning', format: 'cloudevents' });
      expect(sub.status).toBe(201);
      expect(sub.body.format).toBe('cloudevents');
      dispatcher.start();
      await waitFor('5 livrés', () => receiver.requests.length >= 5);
      for (const [k, r] of receiver.requests.entries()) {
        expect(r.headers['content-type']).toBe('application/cloudevents+json');
        const ce = HTTP.toEvent({ headers: r.headers, body: r.body }) as CloudEvent<unknown>;
        ce.validate();
        expect(ce.id).toBe(events[k]?.id);
        expect(r.headers['webhook-id']).toBe(ce.id);
        expect(ce['position']).toBe(events[k]?.position);
      }
    } finally {
      await dispatcher.stop();
      await receiver.stop();
    }
  });
});
