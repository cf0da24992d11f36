import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
  path: string;
}

/**
 * A real HTTP receiver on 127.0.0.1 (random port, kept across `stop`/`start` so the subscription's
 * URL stays valid while it is "down"). `status` decides the answer; `onRequest` may delay it.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  status = 200;
  delayMs = 0;
  port = 0;
  private server: Server | null = null;
  private inflight = new Map<string, number>();
  /** Highest number of requests in flight at once, per path (one path per subscription). */
  readonly maxInflight = new Map<string, number>();

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Events answered 2xx, in arrival order. */
  accepted(path?: string): { id: string; position: string; type: string }[] {
    return this.requests
      .filter((r) => r.status >= 200 && r.status < 300 && (path === undefined || r.path === path))
      .map((r) => JSON.parse(r.body) as { id: string; position: string; type: string });
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      const path = req.url ?? '/';
      const now = (this.inflight.get(path) ?? 0) + 1;
      this.inflight.set(path, now);
      this.maxInflight.set(path, Math.max(now, this.maxInflight.get(path) ?? 0));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.status;
        setTimeout(() => {
          this.inflight.set(path, (this.inflight.get(path) ?? 1) - 1);
          this.requests.push({
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            status,
            path,
          });
          res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'indisponible');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections until `start` again. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export const waitFor = async (
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`délai dépassé en attendant : ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * A fresh receiver for each test (handed to `set`), and after each test the dispatchers it started
 * stopped before the receiver: the same hooks for every webhook e2e file.
 */
export const receiverPerTest = (
  set: (receiver: TestReceiver) => void,
  dispatchers: Array<{ stop(): Promise<void> }>,
): void => {
  let current: TestReceiver | undefined;
  beforeEach(async () => {
    current = new TestReceiver();
    await current.start();
    set(current);
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await current?.stop();
  });
};
