import { startTestApp, type TestApp } from '../support/test-app';
import { appendEvents } from './append-events';

const base = '/api/v1/webhooks';

describe('Webhooks API: subscriptions of a service, its own only', () => {
  let t: TestApp;
  let service: string;
  let otherService: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true' });
    service = t.token('service', undefined, 'service-compta');
    otherService = t.token('service', undefined, 'service-autre');
  });
  afterAll(() => t.close());

  const create = (token: string, body: unknown) =>
    t
      .http()
      .post(base)
      .auth(token, { type: 'bearer' })
      .send(body as object);

  it('401 without a token, 403 for any role but service', async () => {
    const body = { url: 'https://recepteur.example.fr/hook', types: [] };
    expect((await t.http().post(base).send(body)).status).toBe(401);
    expect((await t.http().get(base)).status).toBe(401);
    for (const role of ['fournisseur', 'gestionnaire', 'assistance', 'auditeur'] as const) {
      const token = role === 'fournisseur' ? t.token(role, '79256844600019') : t.token(role);
      const res = await create(token, body);
      expect({ role, status: res.status, code: res.body.code }).toEqual({
        role,
        status: 403,
        code: 'ACCES_REFUSE',
      });
      expect((await t.http().get(base).auth(token, { type: 'bearer' })).status).toBe(403);
    }
  });

  it.each([
    ['http to another host', { url: 'http://recepteur.example.fr/hook', types: [] }, 'url'],
    ['another protocol', { url: 'ftp://127.0.0.1/hook', types: [] }, 'url'],
    ['credentials in the URL', { url: 'https://a:b@recepteur.example.fr/hook', types: [] }, 'url'],
    ['not a URL', { url: 'recepteur', types: [] }, 'url'],
    ['an unknown event type', { url: 'https://recepteur.example.fr/hook', types: ['DossierVole'] }, 'types'],
    ['types missing', { url: 'https://recepteur.example.fr/hook' }, 'types'],
    ['an unknown field', { url: 'https://recepteur.example.fr/hook', types: [], secret: 'x' }, 'secret'],
    ['a bad `from`', { url: 'https://recepteur.example.fr/hook', types: [], from: 'hier' }, 'from'],
  ])('400 problem+json for %s', async (_, body, path) => {
    const res = await create(service, body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('creates from the current head, shows the secret once, lists without it, deletes', async () => {
    await appendEvents(t.infra, 3);
    const head = await t.infra.store.headPosition();
    const res = await create(service, {
      url: 'http://127.0.0.1:9/hook',
      types: ['AvanceImported', 'SoldeValidated'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      url: 'http://127.0.0.1:9/hook',
      types: ['AvanceImported', 'SoldeValidated'],
      format: 'envelope',
      cursor: head,
      createdAt: expect.any(String),
    });
    const id = res.body.id as string;

    const fromBeginning = await create(service, { url: 'http://[::1]:9/hook', types: [], from: 'beginning' });
    expect(fromBeginning.status).toBe(201);
    expect(fromBeginning.body.cursor).toBeNull();
    const badFormat = await create(service, { url: 'http://[::1]:9/hook', types: [], format: 'xml' });
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.errors.map((e: { path: string }) => e.path)).toContain('format');

    const list = await t.http().get(base).auth(service, { type: 'bearer' });
    expect(list.status).toBe(200);
    expect(list.body.map((w: { id: string }) => w.id)).toEqual([id, fromBeginning.body.id]);
    expect(list.body[0]).toMatchObject({
      id,
      url: 'http://127.0.0.1:9/hook',
      cursor: head,
      failures: 0,
      status: 'active',
    });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    // Another service neither sees it nor reaches it.
    expect((await t.http().get(base).auth(otherService, { type: 'bearer' })).body).toEqual([]);
    expect(
      (await t.http().get(`${base}/${id}/deliveries`).auth(otherService, { type: 'bearer' })).status,
    ).toBe(404);
    expect((await t.http().delete(`${base}/${id}`).auth(otherService, { type: 'bearer' })).status).toBe(404);

    const deliveries = await t.http().get(`${base}/${id}/deliveries`).auth(service, { type: 'bearer' });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body).toEqual({ deliveries: [], next: null });
    expect(
      (await t.http().get(`${base}/${id}/deliveries?limit=0`).auth(service, { type: 'bearer' })).status,
    ).toBe(400);
    expect(
      (await t.http().get(`${base}/pas-un-id/deliveries`).auth(service, { type: 'bearer' })).status,
    ).toBe(404);

    const del = await t.http().delete(`${base}/${id}`).auth(service, { type: 'bearer' });
    expect(del.status).toBe(204);
    expect((await t.http().delete(`${base}/${id}`).auth(service, { type: 'bearer' })).status).toBe(404);
    const after = await t.http().get(base).auth(service, { type: 'bearer' });
    expect(after.body.map((w: { id: string }) => w.id)).toEqual([fromBeginning.body.id]);
  });
});
