import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { register } from 'prom-client';
import { createLogger } from '@segur/platform';
import { requestObservability } from './request-observability';

type Line = Record<string, unknown>;

const capture = (): { lines: Line[]; stream: Writable } => {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) {
        if (!l) continue;
        // JSON.parse would hide a key written twice: one correlationId per raw line.
        expect(l.match(/"correlationId"/g)?.length ?? 0).toBeLessThanOrEqual(1);
        lines.push(JSON.parse(l) as Line);
      }
      done();
    },
  });
  return { lines, stream };
};

describe('request observability: correlation id on every log line, one request line, histogram', () => {
  const { lines, stream } = capture();
  const logger = createLogger('info', 'json', stream);
  const app = express();
  app.use(requestObservability(logger));
  app.get('/dossiers/:numeroAsp', async (req, res) => {
    logger.info({ numeroAsp: req.params.numeroAsp }, 'avant');
    await new Promise((r) => setImmediate(r));
    logger.child({ component: 'pipeline' }).warn('après une attente, dans un enfant');
    res.json({ ok: true });
  });

  it('carries the caller’s X-Correlation-Id on every line of its request, and answers it', async () => {
    const res = await request(app)
      .get('/dossiers/FINSAS000001')
      .set('X-Correlation-Id', 'corr-42')
      .set('Authorization', 'Bearer secret-token');
    expect(res.status).toBe(200);
    expect(res.headers['x-correlation-id']).toBe('corr-42');
    const mine = lines.filter((l) => l.correlationId === 'corr-42');
    expect(mine.map((l) => l.msg)).toEqual([
      'avant',
      'après une attente, dans un enfant',
      expect.stringMatching(/^GET \/dossiers\/FINSAS000001 200/),
    ]);
    expect(lines.filter((l) => l.correlationId === undefined)).toEqual([]);
    // Headers stay out of the logs: they hold bearer tokens.
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('makes one up when the caller sends none (or an unsafe one), and logs each request with its own', async () => {
    const a = await request(app).get('/dossiers/A');
    const b = await request(app).get('/dossiers/B').set('X-Correlation-Id', 'bad id with spaces');
    const ids = [a.headers['x-correlation-id'], b.headers['x-correlation-id']];
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    for (const id of ids) expect(lines.filter((l) => l.correlationId === id)).toHaveLength(3);
  });

  it('observes the duration by route pattern, never by raw URL; process metrics are registered', async () => {
    const text = await register.metrics();
    expect(text).toContain(
      'segur_http_request_duration_seconds_count{method="GET",route="/dossiers/:numeroAsp",status_code="200"} 3',
    );
    expect(text).not.toContain('route="/dossiers/FINSAS000001"');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
