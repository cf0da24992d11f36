import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app';

const MIB = 1024 * 1024;

/** A raw POST (supertest would buffer and retry); resolves with the status once the answer is in. */
const post = (
  port: number,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; text: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    // The server may answer and close before the whole body is sent: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    req.end(body);
  });

/** A JSON array of `bytes` bytes: `[1,1,…,1]` (parsing it builds a huge array on the heap). */
const jsonArray = (bytes: number): Buffer => {
  const b = Buffer.alloc(bytes, ',1');
  b[0] = 0x5b; // [
  b[bytes - 2] = 0x31; // 1 ("…11]")
  b[bytes - 1] = 0x5d; // ]
  return b;
};

describe('JSON bodies are read only after the token and role, within a small limit but on imports', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('answers 401 to an unauthenticated 60 MiB import without parsing it (heap stays bounded)', async () => {
    const body = jsonArray(60 * MIB);
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }, 2);
    const res = await post(port, '/api/v1/imports/avance', body);
    clearInterval(sampler);
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    const grewMiB = (peakHeap - before.heapUsed) / MIB;
    // Recorded for docs/operations.md (measured, never asserted as a duration).
    process.stdout.write(`unauthenticated 60 MiB: heap +${grewMiB.toFixed(1)} MiB\n`);
    expect(res.status).toBe(401);
    expect(res.type).toContain('application/problem+json');
    // Parsed, the array alone would take several hundred MiB of heap.
    expect(grewMiB).toBeLessThan(40);
  });

  it('answers 403 before reading the body when the role may not import', async () => {
    const res = await post(port, '/api/v1/imports/avance', jsonArray(4 * MIB), {
      authorization: `Bearer ${t.token('auditeur')}`,
    });
    expect(res.status).toBe(403);
  });

  it('refuses an authenticated 2 MiB JSON body on a non-import route with 413 in French', async () => {
    const res = await post(port, '/api/v1/webhooks', jsonArray(2 * MIB), {
      authorization: `Bearer ${t.token('service')}`,
    });
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/problem+json');
    const problem = JSON.parse(res.text) as { code: string; detail: string };
    expect(problem.code).toBe('TROP_VOLUMINEUX');
    expect(problem.detail).toBe('Corps de requête trop volumineux');
  });

  it('still reads a 2 MiB JSON body on an import route (IMPORT_MAX_BYTES)', async () => {
    const res = await post(port, '/api/v1/imports/avance', jsonArray(2 * MIB), {
      authorization: `Bearer ${t.token('assistance')}`,
    });
    // Parsed, then refused by the import's own list limit (LIMITE_DEPASSEE), not by the body size.
    expect(res.status).toBeLessThan(500);
    expect((JSON.parse(res.text) as { code: string }).code).not.toBe('TROP_VOLUMINEUX');
  });

  it('still parses a small JSON body on an ordinary route', async () => {
    const res = await t
      .http()
      .post('/api/v1/webhooks')
      .auth(t.token('service'), { type: 'bearer' })
      .send({ url: 'ftp://x' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('url');
  });
});
