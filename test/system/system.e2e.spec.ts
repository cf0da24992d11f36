import { startTestApp, type TestApp } from '../support/test-app';

describe('System routes: health, readiness, metrics, OpenAPI, problem+json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers /health without a token', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports the store and every projection on /ready', async () => {
    const res = await t.http().get('/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks.eventStore.status).toBe('ok');
    expect(Object.keys(res.body.checks.projections)).toEqual(
      expect.arrayContaining(['suivi', 'versions', 'lists', 'reporting', 'deadlines', 'email-outbox']),
    );
  });

  it('exposes Prometheus metrics', async () => {
    await t
      .http()
      .post('/api/v1/dossiers/FINSAS000001/modification')
      .auth(t.token('gestionnaire'), { type: 'bearer' })
      .send({ commentaire: 'x' });
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('segur_command_duration_seconds');
    expect(res.text).toContain('segur_projection_caught_up');
    expect(res.text).toContain('segur_deadlines');
    expect(res.text).toContain('segur_email_outbox_pending');
    expect(res.text).toMatch(/segur_webhooks\{status="paused"\} \d+/);
  });

  it('publishes the OpenAPI document and the Swagger UI', async () => {
    const doc = await t.http().get('/openapi.json');
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    for (const p of [
      '/api/v1/imports/solde',
      '/api/v1/dossiers/{numeroAsp}/modification',
      '/api/v1/dossiers/{numeroAsp}/modification/submit',
      '/api/v1/dossiers/{numeroAsp}/events',
      '/api/v1/events',
      '/api/v1/webhooks',
      '/api/v1/reports/summary',
      '/api/v1/deadlines',
    ])
      expect(paths).toContain(p);
    expect(JSON.stringify(doc.body)).toContain('ModificationRequested');
    const ui = await t.http().get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('answers unknown routes and malformed JSON with problem+json, no stack trace', async () => {
    const missing = await t.http().get('/api/v1/nope').auth(t.token('auditeur'), { type: 'bearer' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const bad = await t
      .http()
      .post('/api/v1/dossiers/FINSAS000001/modification')
      .auth(t.token('gestionnaire'), { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('{"commentaire": ');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(/);
  });

  it('refuses a token signed with another secret (401)', async () => {
    const res = await t
      .http()
      .get('/api/v1/dossiers')
      .set(
        'Authorization',
        'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImF1ZGl0ZXVyIn0.c2lnbmF0dXJl',
      );
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('NON_AUTHENTIFIE');
  });
});
