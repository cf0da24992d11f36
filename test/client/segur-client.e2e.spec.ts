import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSegurClient,
  FeedRefusedError,
  subscribeToFeed,
  verifyWebhook,
  WebhookVerificationError,
  type FeedEvent,
} from '@segur/client';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestReceiver, waitFor } from '../webhooks/receiver';

jest.setTimeout(180_000);

const GENERATED = join(process.cwd(), 'libs/client/src/segur-api.ts');

/** Where a consumer keeps its cursor: here a variable, in real life a table or a file. */
class CursorStore {
  saved: string | null = null;
  readonly load = (): string | null => this.saved;
  readonly save = (position: string): void => {
    this.saved = position;
  };
}

describe('@segur/client against the real server', () => {
  let t: TestApp;
  let baseUrl: string;
  let service: string;
  let gestionnaire: string;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true' }, { worker: true });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    service = t.token('service', undefined, 'service-client');
    gestionnaire = t.token('gestionnaire');
  });
  afterAll(() => t.close());

  it('its types are the ones openapi-typescript generates from the served OpenAPI document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segur-client-'));
    try {
      const doc = await fetch(`${baseUrl}/openapi.json`).then((r) => r.text());
      writeFileSync(join(dir, 'openapi.json'), doc);
      const out = join(dir, 'segur-api.ts');
      execFileSync(process.execPath, [
        join(process.cwd(), 'node_modules/openapi-typescript/bin/cli.js'),
        join(dir, 'openapi.json'),
        '--output',
        out,
        // A property with a default stays optional in a request body.
        '--default-non-nullable',
        'false',
      ]);
      // UPDATE_CLIENT_TYPES=1 rewrites the committed file after an API change.
      if (process.env.UPDATE_CLIENT_TYPES) writeFileSync(GENERATED, readFileSync(out));
      expect(readFileSync(GENERATED, 'utf8')).toBe(readFileSync(out, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs typed commands and queries; a refusal is the engine’s problem with its code', async () => {
    const { numeroAsp } = await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000101' });
    const api = createSegurClient({ baseUrl, token: gestionnaire });
    const requested = await api.POST('/api/v1/dossiers/{numeroAsp}/modification', {
      params: { path: { numeroAsp } },
      body: { commentaire: 'RIB illisible' },
    });
    expect(requested.response.status).toBe(200);
    const position = requested.response.headers.get('x-position') ?? '';
    const suivi = await api.GET('/api/v1/dossiers/{numeroAsp}', {
      params: { path: { numeroAsp }, header: { 'X-Min-Position': position } },
    });
    expect(suivi.response.status).toBe(200);
    expect(JSON.stringify(suivi.data)).toContain('A_MODIFIER');
    const again = await api.POST('/api/v1/dossiers/{numeroAsp}/validation', {
      params: { path: { numeroAsp } },
      body: {},
    });
    // A solde under modification cannot be validated: the engine's problem, typed.
    expect(again.response.status).toBe(409);
    expect(again.error?.code).toBe('STATUT_INCOMPATIBLE');
  });

  it('follows the feed, is killed, resumes from the saved cursor: nothing lost, nothing twice', async () => {
    const cursor = new CursorStore();
    const handled: FeedEvent[] = [];
    const base = { baseUrl, token: service, loadCursor: cursor.load, saveCursor: cursor.save, idleMs: 20 };
    for (const n of [201, 202, 203]) await seedSoldeEnCours(t.infra, { numeroAsp: `FINSAS000${n}` });
    const all = async (): Promise<string[]> =>
      (
        await t.infra.store.readAll({ after: null, limit: 10_000, filter: { streamPrefix: 'dossier-' } })
      ).events.map((e) => e.id);

    // First run: killed after its fifth event (the abort comes from inside the handler, as a crash would).
    const first = new AbortController();
    await subscribeToFeed({
      ...base,
      pageSize: 2,
      signal: first.signal,
      handle: (e) => {
        handled.push(e);
        if (handled.length === 5) first.abort();
      },
    });
    expect(handled).toHaveLength(5);
    expect(cursor.saved).toBe(handled[4]?.position);

    // While it is down, more happens.
    await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000204' });
    const expected = await all();

    // Second run: from the saved cursor, with a flaky network (two failures) and one handler failure.
    let failuresLeft = 2;
    const flaky: typeof fetch = (input, init) =>
      failuresLeft-- > 0 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    let handlerFailed = false;
    const errors: number[] = [];
    const second = new AbortController();
    await subscribeToFeed({
      ...base,
      fetch: flaky,
      backoff: { initialMs: 1, maxMs: 4 },
      onError: (_e, attempt) => errors.push(attempt),
      signal: second.signal,
      handle: (e) => {
        if (!handlerFailed && handled.length === 7) {
          handlerFailed = true;
          throw new Error('base de données du consommateur indisponible');
        }
        handled.push(e);
        if (e.id === expected.at(-1)) second.abort(); // the head as it was: stop there
      },
    });
    expect(errors).toEqual([1, 2, 1]);
    expect(handled.map((e) => e.id)).toEqual(expected);
    expect(cursor.saved).toBe(handled.at(-1)?.position);
  });

  it('a permanent refusal (bad token) stops the subscription with the engine’s detail', async () => {
    await expect(
      subscribeToFeed({
        baseUrl,
        token: 'pas-un-jeton',
        loadCursor: () => null,
        saveCursor: () => undefined,
        handle: () => undefined,
      }),
    ).rejects.toBeInstanceOf(FeedRefusedError);
  });

  it('verifies a webhook delivery of the real dispatcher, and refuses a tampered one', async () => {
    const receiver = new TestReceiver();
    await receiver.start();
    try {
      const api = createSegurClient({ baseUrl, token: service });
      const created = await api.POST('/api/v1/webhooks', {
        body: { url: receiver.url('/client'), types: ['SoldeImported'], from: 'now' },
      });
      expect(created.response.status).toBe(201);
      const secret = created.data?.secret ?? '';
      await seedSoldeEnCours(t.infra, { numeroAsp: 'FINSAS000301' });
      await waitFor('une livraison', () => receiver.requests.length > 0, 30_000);
      const delivery = receiver.requests[0];
      if (!delivery) throw new Error('aucune livraison');
      const event = verifyWebhook(secret, delivery.headers, delivery.body);
      expect(event.type).toBe('SoldeImported');
      expect(event.data.numeroAsp).toBe('FINSAS000301');
      expect(() =>
        verifyWebhook(secret, delivery.headers, delivery.body.replace('FINSAS', 'FINPHA')),
      ).toThrow(WebhookVerificationError);
      const other = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
      expect(() => verifyWebhook(other, delivery.headers, delivery.body)).toThrow(WebhookVerificationError);
    } finally {
      await receiver.stop();
    }
  });
});
