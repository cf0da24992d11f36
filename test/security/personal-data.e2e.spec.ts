import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from '../../libs/webhooks/src/webhook-post';
import { appendEvents } from '../webhooks/append-events';
import { startTestApp, type TestApp } from '../support/test-app';

const ADDRESS = 'contact.officine@exemple.fr';

describe('Personal data: recipients stay out of what integrators read', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // appendEvents spreads over dossier-FINSAS000001…; one EmailSent is enough.
    await appendEvents(t.infra, 1, ['EmailSent'], {
      numeroAsp: 'FINSAS000001',
      causationEventId: '00000000-0000-4000-8000-000000000001',
      template: 'modification-demandee',
      to: ADDRESS,
      subject: 'Modification demandée',
      messageId: '<m1@segur>',
      sentAt: '2026-01-01T00:00:00.000Z',
    });
  });
  afterAll(() => t.close());

  it('publishes EmailSent on the feed without the address, with a reference', async () => {
    const res = await t
      .http()
      .get('/api/v1/events?types=EmailSent')
      .auth(t.token('service'), { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"destinataire":"fournisseur"');
    expect(res.text).toContain('<m1@segur>');
    expect(res.text).not.toContain(ADDRESS);
  });

  it('keeps the address in the dossier’s own event list (back office)', async () => {
    const res = await t
      .http()
      .get('/api/v1/dossiers/FINSAS000001/events')
      .auth(t.token('auditeur'), { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain(ADDRESS);
  });

  it('sends EmailSent to a webhook without the address', async () => {
    let received = '';
    const server: Server = createServer((req, res) => {
      req.on('data', (c: Buffer) => (received += c.toString('utf8')));
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const page = await t.infra.store.readAll({ after: null, limit: 10, filter: { types: ['EmailSent'] } });
      const event = page.events[0];
      if (!event) throw new Error('EmailSent introuvable');
      const outcome = await postWebhook(
        { id: 'w1', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, secret: 's' },
        event,
        1,
        { timeoutMs: 5_000, userAgent: 'test', policy: { allowLoopback: true } },
      );
      expect(outcome.ok).toBe(true);
      expect(received).toContain('"destinataire":"fournisseur"');
      expect(received).not.toContain(ADDRESS);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('does not let the service role read suivi pages, versions or lists', async () => {
    const service = t.token('service');
    for (const path of [
      '/api/v1/dossiers/FINSAS000001',
      '/api/v1/dossiers/FINSAS000001/versions',
      '/api/v1/dossiers',
    ])
      expect((await t.http().get(path).auth(service, { type: 'bearer' })).status).toBe(403);
    const officer = await t.http().get('/api/v1/dossiers').auth(t.token('gestionnaire'), { type: 'bearer' });
    expect(officer.status).toBe(200);
  });
});
