import './heartbeat-env';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { JwtVerifier, type ApiRole } from '@segur/auth';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { createTestSqlClient, type RecordedEvent, type TestSqlClient } from '@segur/event-store';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { SseStreams } from '../../apps/api/src/feed/sse-streams';
import { appendEvents } from '../webhooks/append-events';
import { waitFor } from '../webhooks/receiver';
import { countingStore, type PullStats } from './counting-store';
import { SseClient } from './sse-client';

const SECRET = 'feed-test-secret-with-at-least-32-chars';
const verifier = new JwtVerifier({ secret: SECRET, jwksUrl: null });
const token = (role: ApiRole): string =>
  verifier.sign({
    sub: `${role}-feed`,
    role,
    ...(role === 'fournisseur' ? { siret: '79256844600019' } : {}),
  });
const bearer = (role: ApiRole): Record<string, string> => ({ Authorization: `Bearer ${token(role)}` });

const parseNdjson = (text: string): RecordedEvent[] =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as RecordedEvent);

jest.setTimeout(20_000);

describe('GET /api/v1/events: NDJSON pages and the SSE live feed', () => {
  let sql: TestSqlClient;
  let infra: Infrastructure;
  let app: NestExpressApplication;
  let stats: PullStats;
  let baseUrl: string;
  let dataDir: string;
  const open: SseClient[] = [];

  const sse = async (
    query = '',
    headers: Record<string, string> = {},
    paused = false,
  ): Promise<SseClient> => {
    const c = await SseClient.open(
      `${baseUrl}/api/v1/events${query}`,
      { ...bearer('service'), ...headers },
      paused,
    );
    open.push(c);
    return c;
  };
  const readAll = async (after: string | null = null, types?: string[]): Promise<RecordedEvent[]> =>
    (await infra.store.readAll({ after, limit: 100_000, ...(types ? { filter: { types } } : {}) })).events;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'segur-feed-'));
    sql = await createTestSqlClient('feed');
    infra = await openEngine(
      loadConfig({ ...process.env, EVENT_STORE: 'postgres', DATA_DIR: dataDir, JWT_SECRET: SECRET }),
      { sql: sql.client },
    );
    const counted = countingStore(infra.store);
    stats = counted.stats;
    app = await createApiApp({ ...infra, store: counted.store });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await app.close();
    await infra.close();
    await sql.teardown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('roles', () => {
    it.each(['service', 'auditeur'] as const)('%s may read the feed', async (role) => {
      expect((await request(app.getHttpServer()).get('/api/v1/events').set(bearer(role))).status).toBe(200);
    });
    it.each(['fournisseur', 'gestionnaire', 'assistance'] as const)('%s gets 403', async (role) => {
      const res = await request(app.getHttpServer()).get('/api/v1/events').set(bearer(role));
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'ACCES_REFUSE' });
      expect(
        (
          await request(app.getHttpServer())
            .get('/api/v1/events')
            .set(bearer(role))
            .set('Accept', 'text/event-stream')
        ).status,
      ).toBe(403);
    });
    it('401 without a token', async () => {
      expect((await request(app.getHttpServer()).get('/api/v1/events')).status).toBe(401);
    });
  });

  describe('NDJSON', () => {
    const page = (query: string) =>
      request(app.getHttpServer())
        .get(`/api/v1/events${query}`)
        .set(bearer('service'))
        .buffer(true)
        .parse((res, cb) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => cb(null, text));
        });

    /** Follows X-Next-Cursor until an empty page. */
    const pageThrough = async (
      limit: number,
      types?: string,
    ): Promise<{ events: RecordedEvent[]; pages: number }> => {
      const events: RecordedEvent[] = [];
      let after = '';
      for (let pages = 1; ; pages++) {
        const res = await page(
          `?limit=${limit}${after ? `&after=${after}` : ''}${types ? `&types=${types}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
        const batch = parseNdjson(res.body as string);
        expect(batch.length).toBeLessThanOrEqual(limit);
        const next = res.headers['x-next-cursor'] as string;
        // A full page ends at its last event; a short one may skip ahead past events of other types.
        if (batch.length === limit) expect(next).toBe(batch.at(-1)?.position);
        else if (batch.length > 0) expect(next >= (batch.at(-1)?.position as string)).toBe(true);
        if (batch.length === 0) return { events, pages };
        events.push(...batch);
        after = res.headers['x-next-cursor'] as string;
      }
    };

    it('paged with after/limit, the whole sequence equals one readAll', async () => {
      await appendEvents(infra, 130, ['AvanceImported', 'AvancePaymentRecorded', 'SoldeImported']);
      const all = await readAll();
      const { events, pages } = await pageThrough(17);
      expect(pages).toBe(Math.ceil(all.length / 17) + 1); // the last one empty: the end
      expect(events).toEqual(all);
      expect(new Set(events.map((e) => e.position)).size).toBe(events.length);
    });

    it('filtered by types, with the same cursor discipline', async () => {
      const wanted = await readAll(null, ['AvancePaymentRecorded', 'SoldeImported']);
      const { events } = await pageThrough(10, 'AvancePaymentRecorded,SoldeImported');
      expect(events.map((e) => e.id)).toEqual(wanted.map((e) => e.id));
    });

    it('after the last position: an empty page, the cursor kept', async () => {
      const head = (await infra.store.headPosition()) as string;
      const res = await page(`?after=${head}`);
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      expect(res.headers['x-next-cursor']).toBe(head);
    });

    it.each([['limit=0'], ['limit=1001'], ['limit=abc'], ['after=pas-un-curseur'], ['after=%27%3B--']])(
      '400 problem+json for %s',
      async (q) => {
        const res = await request(app.getHttpServer()).get(`/api/v1/events?${q}`).set(bearer('service'));
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      },
    );
  });

  describe('SSE', () => {
    it('replays from Last-Event-ID then streams live events; id is the position', async () => {
      const head = (await infra.store.headPosition()) as string;
      const c = await sse('', { 'Last-Event-ID': head });
      expect(c.status).toBe(200);
      expect(c.res.headers['content-type']).toMatch(/^text\/event-stream/);
      await appendEvents(infra, 7);
      const live = await readAll(head);
      expect(live).toHaveLength(7);
      await waitFor('7 événements en direct', () => c.events().length >= 7);
      // A sentinel appended after them: once it arrives, whatever came before it is all there is.
      await appendEvents(infra, 1);
      const sentinel = (await readAll(live[6]!.position)).at(-1)!;
      await waitFor('la sentinelle', () => c.events().some((m) => m.id === sentinel.position));
      const before = c.events().slice(0, -1);
      expect(c.events().at(-1)?.id).toBe(sentinel.position);
      expect(before.map((m) => m.id)).toEqual(live.map((e) => e.position));
      expect(before.map((m) => JSON.parse(m.data) as RecordedEvent)).toEqual(live);
      expect(before.map((m) => m.event)).toEqual(live.map((e) => e.type));
      expect(c.ended).toBe(false);
    });

    it('`after` works as the starting cursor and `types` filters the stream', async () => {
      const head = (await infra.store.headPosition()) as string;
      const c = await sse(`?after=${head}&types=AvancePaymentRecorded`);
      await appendEvents(infra, 9, ['AvanceImported', 'AvancePaymentRecorded', 'SoldeImported']);
      const wanted = await readAll(head, ['AvancePaymentRecorded']);
      expect(wanted).toHaveLength(3);
      await waitFor('3 paiements', () => c.events().length >= 3);
      expect(c.events().map((m) => m.id)).toEqual(wanted.map((e) => e.position));
    });

    it('sends heartbeats while idle', async () => {
      const c = await sse('', { 'Last-Event-ID': (await infra.store.headPosition()) as string });
      await waitFor('deux battements', () => c.comments.filter((x) => x === 'heartbeat').length >= 2, 3_000);
    });

    it('an invalid Last-Event-ID is refused before the stream opens', async () => {
      const c = await sse('', { 'Last-Event-ID': 'nimporte-quoi' });
      expect(c.status).toBe(400);
      expect(c.res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('stays open for a client that sends Content-Type: application/json (the body parser reads the request)', async () => {
      const head = (await infra.store.headPosition()) as string;
      const c = await sse('', { 'Last-Event-ID': head, 'Content-Type': 'application/json' });
      expect(c.status).toBe(200);
      await appendEvents(infra, 2);
      await waitFor('2 événements', () => c.events().length >= 2, 3_000);
      expect(c.ended).toBe(false);
    });

    it('a client that goes away leaves no subscription behind', async () => {
      const head = (await infra.store.headPosition()) as string;
      const clients = await Promise.all([1, 2, 3].map(() => sse('', { 'Last-Event-ID': head })));
      await waitFor('3 abonnements ouverts', () => stats.open >= 3);
      for (const c of clients) c.close();
      await waitFor('abonnements fermés', () => stats.open === 0, 3_000);
    });

    it('reconnecting with Last-Event-ID while events are appended: no loss, no duplicate', async () => {
      const start = (await infra.store.headPosition()) as string;
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < 40; i++) {
          await appendEvents(infra, 5, ['AvanceImported', 'SoldeImported']);
          await new Promise((r) => setTimeout(r, 5));
        }
        writing = false;
      })();
      const received: string[] = [];
      let last = start;
      for (let round = 0; writing || last !== (await infra.store.headPosition()); round++) {
        const c = await sse('', { 'Last-Event-ID': last });
        // Drop the connection after a few events, mid-stream, as a flaky network would.
        await waitFor('quelques événements', () => c.events().length >= 15, 1_000).catch(() => undefined);
        c.close();
        const got = c.events();
        received.push(...got.map((m) => m.id as string));
        if (got.length > 0) last = got.at(-1)?.id as string;
        if (round > 200) throw new Error('trop de reconnexions');
      }
      await writer;
      const expected = await readAll(start);
      expect(expected).toHaveLength(200);
      expect(received).toEqual(expected.map((e) => e.position));
    });

    it('a slow client: the server stops pulling from the store while the socket is full', async () => {
      const head = (await infra.store.headPosition()) as string;
      const pad = 'x'.repeat(16_000);
      await appendEvents(infra, 500, ['AvanceImported'], { pad });
      const total = (await readAll(head)).length;
      const before = stats.pulled;
      const c = await sse('', { 'Last-Event-ID': head }, true);
      // The server fills the socket, then waits for the client: while it waits it pulls nothing.
      const streams = app.get(SseStreams);
      await waitFor('le serveur attend le client', () => streams.waitingForClient === 1, 8_000);
      const pulledWhilePaused = stats.pulled - before;
      const readsWhilePaused = stats.reads;
      for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
      expect(streams.waitingForClient).toBe(1);
      expect(stats.pulled - before).toBe(pulledWhilePaused);
      expect(stats.reads).toBe(readsWhilePaused);
      expect(pulledWhilePaused).toBeLessThan(total);

      c.resume();
      await waitFor('tout reçu après reprise', () => c.events().length >= total, 15_000);
      expect(c.events()).toHaveLength(total);
      console.log(`slow client: ${pulledWhilePaused}/${total} events pulled while paused`);
    });
  });
});
