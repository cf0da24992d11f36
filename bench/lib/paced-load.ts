import { connect, type Socket } from 'node:net';
import { Latencies } from './measure';

export interface PacedLoadOptions {
  /** http://host:port of the server. */
  baseUrl: string;
  /** Requests per second, sent at constant inter-arrival times. */
  rate: number;
  seconds: number;
  /** Keep-alive connections opened up front; requests beyond them wait in a queue for a free one. */
  connections: number;
  /** Sent with every request (constant: serialised once). */
  headers?: Record<string, string>;
  /** The path of request `i`, drawn when it is sent. */
  path: (i: number) => string;
  /** Abandon a request after this long (counted as an error and as its full wait). */
  timeoutMs?: number;
}

export interface PacedLoadResult {
  /** Latency of each completed request, from its scheduled send time to the end of its response. */
  latencies: Latencies;
  /** The same requests from the moment their bytes were written (no queueing in the generator). */
  wireLatencies: Latencies;
  sent: number;
  /** Completed requests per second over the run (responses, whatever their status). */
  achievedRate: number;
  non2xx: number;
  errors: number;
  /** Largest delay between a request's scheduled time and its actual send (the generator's own lag). */
  maxSendLagMs: number;
  /** CPU the generating process used, in % of one core: it shares the machine with the server. */
  cpuPercent: number;
}

interface Pending {
  due: number;
  head: string;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * One keep-alive HTTP/1.1 connection, one request at a time (no pipelining: a slow response must
 * not hold the requests queued behind it on the same socket, they go to another free connection).
 * The parser knows only what a JSON API answers: a status line, `Content-Length` or chunked.
 */
class Connection {
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  /** Body bytes still expected, or -1 while the headers are incomplete, or -2 in a chunked body. */
  private remaining = -1;
  private status = 0;
  private closing = false;
  current: { due: number; sentAt: number } | null = null;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onDone: (c: Connection, ok: boolean, status: number) => void,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      this.socket = socket;
      this.buffer = Buffer.alloc(0);
      this.remaining = -1;
      socket.once('connect', () => resolve());
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.once('error', (e) => {
        reject(e);
        this.fail(socket);
      });
      socket.once('close', () => this.fail(socket));
    });
  }

  send(p: Pending): void {
    this.current = { due: p.due, sentAt: performance.now() };
    if (!this.socket || this.socket.destroyed) {
      // Dropped by the server (or a timeout) since its last response: reconnect, then send.
      this.open().then(
        () => this.socket?.write(p.head, 'latin1'),
        () => undefined,
      );
      return;
    }
    this.socket.write(p.head, 'latin1');
  }

  /** Gives up the request in flight (timeout): its socket may still deliver the late response. */
  abort(): void {
    this.socket?.destroy();
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  private fail(socket: Socket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    socket.destroy();
    if (this.current && !this.closed) this.onDone(this, false, 0);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.remaining === -1) {
        const end = this.buffer.indexOf(CRLF_CRLF);
        if (end < 0) return;
        const head = this.buffer.toString('latin1', 0, end);
        this.buffer = this.buffer.subarray(end + 4);
        // "HTTP/1.1 200 OK"
        this.status = Number(head.slice(9, 12));
        this.closing = /\r\nconnection:\s*close/i.test(head);
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length) this.remaining = Number(length[1]);
        else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) this.remaining = -2;
        else this.remaining = 0;
      }
      if (this.remaining === -2) {
        // Chunks: "<hex>\r\n<data>\r\n" … "0\r\n\r\n" (no trailers from our server).
        const line = this.buffer.indexOf('\r\n');
        if (line < 0) return;
        const size = parseInt(this.buffer.toString('latin1', 0, line), 16);
        const need = line + 2 + size + 2;
        if (this.buffer.length < need) return;
        this.buffer = this.buffer.subarray(need);
        if (size !== 0) continue;
      } else {
        if (this.buffer.length < this.remaining) return;
        this.buffer = this.buffer.subarray(this.remaining);
      }
      this.remaining = -1;
      if (this.closing && this.socket) {
        // The server drops this socket after the response: the next request opens a new one
        // instead of being written into a closing socket and lost.
        const socket = this.socket;
        this.socket = null;
        socket.destroy();
      }
      if (this.current) this.onDone(this, true, this.status);
      if (!this.buffer.length) return;
    }
  }
}

/**
 * An open-loop load at a fixed rate: request `i` is due at start + i / rate, sent then whatever the
 * earlier ones are doing, and its latency is counted from that due time, so a server (or a queue of
 * the generator's own) that stalls shows in the percentiles instead of silently lowering the rate.
 *
 * Why not autocannon's `overallRate`: it gives each connection a per-second quota, sent back to back
 * as soon as the previous response arrives, then pauses the connection until the next one-second
 * tick (lib/httpClient.js). All of a second's requests thus arrive in a burst and queue behind each
 * other, and autocannon adds coordinated-omission-corrected samples on top: its p99 measures the
 * burst, not the latency at a steady N req/s.
 *
 * Why raw sockets: node:http's Agent (and undici's Pool, measured no cheaper) burnt 60–100 % of a
 * core at 1,000 req/s, and the generator shares the 2-core development machine with the server and
 * PostgreSQL; its own event-loop lag also showed up as latency. Here a request is one pre-serialised
 * string written on a free keep-alive socket and a response is found by its length, ~10× less CPU.
 * The pacing sleeps on 1 ms timers (a busy setImmediate loop was most of that core): a request may
 * leave up to ~1 ms after its due time, and that delay is counted in its latency.
 */
export const runPacedLoad = async (options: PacedLoadOptions): Promise<PacedLoadResult> => {
  const { rate, seconds, connections, timeoutMs = 10_000 } = options;
  const url = new URL(options.baseUrl);
  const host = url.hostname;
  const port = Number(url.port);
  const fixedHeaders =
    `Host: ${url.host}\r\n` +
    Object.entries(options.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  const latencies = new Latencies();
  const wireLatencies = new Latencies();
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  let non2xx = 0;
  let errors = 0;
  let completed = 0;
  let settled = 0;
  let maxSendLagMs = 0;
  const queue: Pending[] = [];
  let queueHead = 0;
  const free: Connection[] = [];
  let allSettled: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allSettled = resolve));

  const onDone = (c: Connection, ok: boolean, status: number): void => {
    const current = c.current;
    if (!current) return;
    c.current = null;
    const now = performance.now();
    latencies.record(now - current.due);
    if (ok) {
      wireLatencies.record(now - current.sentAt);
      completed++;
      if (status < 200 || status >= 300) non2xx++;
    } else errors++;
    settled++;
    const next = queue[queueHead];
    if (next) {
      queue[queueHead++] = undefined as unknown as Pending;
      c.send(next);
    } else free.push(c);
    if (settled === total) allSettled();
  };

  const pool = Array.from({ length: connections }, () => new Connection(host, port, onDone));
  await Promise.all(pool.map((c) => c.open()));
  free.push(...pool);

  // A request older than timeoutMs is abandoned: its socket is dropped (counted by onDone as an
  // error) and reopened for the next request.
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const c of pool) if (c.current && now - c.current.sentAt > timeoutMs) c.abort();
  }, 100);

  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 5;
  let i = 0;
  try {
    while (i < total) {
      const now = performance.now();
      // Every request already due goes out now (one or two per 1 ms tick at 1,000 req/s).
      while (i < total && start + i * interval <= now) {
        const due = start + i * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - due);
        const p: Pending = { due, head: `GET ${options.path(i)} HTTP/1.1\r\n${fixedHeaders}` };
        const c = free.pop();
        if (c) c.send(p);
        else queue.push(p);
        i++;
      }
      if (i >= total) break;
      const wait = start + i * interval - performance.now();
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.floor(wait))));
    }
    if (total > 0) await finished;
  } finally {
    clearInterval(watchdog);
    for (const c of pool) c.close();
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = Math.round((cpu.user + cpu.system) / 1e4 / elapsed);
  return {
    latencies,
    wireLatencies,
    sent: total,
    achievedRate: completed / elapsed,
    non2xx,
    errors,
    maxSendLagMs,
    cpuPercent,
  };
};
