import { Agent, request } from 'node:http';
import { Latencies } from './measure';

export interface PacedLoadOptions {
  /** http://host:port of the server. */
  baseUrl: string;
  /** Requests per second, sent at constant inter-arrival times. */
  rate: number;
  seconds: number;
  /** Most keep-alive sockets open at once; requests beyond them wait in the agent's queue. */
  connections: number;
  headers?: Record<string, string>;
  /** The path of request `i`, drawn when it is sent. */
  path: (i: number) => string;
  /** Abandon a request after this long (counted as an error and as its full wait). */
  timeoutMs?: number;
}

export interface PacedLoadResult {
  /** Latency of each completed request, from its scheduled send time to the end of its response. */
  latencies: Latencies;
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

/**
 * An open-loop load at a fixed rate: request `i` is due at start + i / rate, sent then whatever the
 * earlier ones are doing, and its latency is counted from that due time, so a server (or a client
 * socket) that stalls shows in the percentiles instead of silently lowering the rate.
 *
 * Why not autocannon's `overallRate`: it gives each connection a per-second quota, sent back to back
 * as soon as the previous response arrives, then pauses the connection until the next one-second
 * tick (lib/httpClient.js). All of a second's requests thus arrive in a burst and queue behind each
 * other, and autocannon adds coordinated-omission-corrected samples on top: its p99 measures the
 * burst, not the latency at a steady N req/s.
 *
 * node:http with a keep-alive Agent: it is what Node ships. It is not free — 60 to 100 % of a core at
 * 1,000 req/s on the 2-core development machine, reported as `cpuPercent` since it shares the cores
 * with the server — but undici's Pool measured no cheaper there, so no dependency was added for it.
 */
export const runPacedLoad = async (options: PacedLoadOptions): Promise<PacedLoadResult> => {
  const { rate, seconds, connections, timeoutMs = 10_000 } = options;
  const url = new URL(options.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies = new Latencies();
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  let non2xx = 0;
  let errors = 0;
  let completed = 0;
  let maxSendLagMs = 0;
  const inFlight: Promise<void>[] = [];

  const send = (i: number, due: number): Promise<void> =>
    new Promise<void>((settle) => {
      // A request ends once: a late socket error after its response must not count it twice.
      let settled = false;
      const resolve = (): void => {
        settled = true;
        settle();
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'GET',
          path: options.path(i),
          headers: options.headers,
          agent,
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            if (settled) return;
            latencies.record(performance.now() - due);
            completed++;
            if (!res.statusCode || res.statusCode < 200 || res.statusCode >= 300) non2xx++;
            resolve();
          });
          res.once('error', () => {
            if (settled) return;
            errors++;
            resolve();
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('timeout')));
      req.once('error', () => {
        if (settled) return;
        errors++;
        latencies.record(performance.now() - due);
        resolve();
      });
      req.end();
    });

  const cpuBefore = process.cpuUsage();
  const start = performance.now() + 5;
  let i = 0;
  try {
    while (i < total) {
      const now = performance.now();
      // Every request already due goes out now (several after a timer that fired late).
      while (i < total && start + i * interval <= now) {
        const due = start + i * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - due);
        inFlight.push(send(i, due));
        i++;
      }
      if (i >= total) break;
      const wait = start + i * interval - performance.now();
      // setTimeout has ~1 ms granularity: below that, yield to the event loop (responses) and re-check.
      await new Promise<void>((resolve) =>
        wait >= 1 ? setTimeout(resolve, Math.floor(wait)) : setImmediate(resolve),
      );
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = Math.round((cpu.user + cpu.system) / 1e4 / elapsed);
  return {
    latencies,
    sent: total,
    achievedRate: completed / elapsed,
    non2xx,
    errors,
    maxSendLagMs,
    cpuPercent,
  };
};
