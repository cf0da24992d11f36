import type { Response } from 'express';
import type { EventFilter, EventStore, RecordedEvent } from '@segur/event-store';
import { ProblemError } from '../http/problem';
import type { SseStreams } from './sse-streams';

const SSE_BATCH = 100;
const HEARTBEAT_MS = Number(process.env.FEED_HEARTBEAT_MS ?? 15_000);

/** Resolves when the socket can take more: a slow client slows the read, never grows memory. */
const drained = (res: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

export interface SsePipeOptions {
  /** Exclusive cursor to resume after; null: from the beginning of the filtered log. */
  from: string | null;
  filter?: EventFilter;
  /** The SSE `event:` name of an envelope. */
  eventName: (e: RecordedEvent) => string;
  /** The SSE `data:` of an envelope, on one line. */
  data: (e: RecordedEvent) => string;
}

/**
 * Streams the store's events as SSE until the client leaves or the server stops: `retry: 2000`,
 * `id: <position>` (a reconnecting browser sends it back as Last-Event-ID), heartbeats, back
 * pressure, and registration with `SseStreams` so shutdown ends it. Shared by the API's feed
 * (`GET /api/v1/events`) and the pages' live notices (`/flux/…`).
 */
export const pipeSse = async (
  res: Response,
  store: EventStore,
  streams: SseStreams,
  options: SsePipeOptions,
): Promise<void> => {
  if (streams.shuttingDown)
    throw new ProblemError(
      503,
      'ARRET_EN_COURS',
      'Serveur en cours d’arrêt : reconnectez-vous sur une autre instance',
    );
  const controller = new AbortController();
  let markEnded = (): void => undefined;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const unregister = streams.add({
    end: () => {
      if (!res.writableEnded) res.write(': arrêt du serveur, reconnectez-vous avec Last-Event-ID\n\n');
      controller.abort();
      setTimeout(() => res.destroy(), 2_000).unref();
    },
    ended,
  });
  res.on('close', () => controller.abort());
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => {
    if (!res.writableNeedDrain) res.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const events: AsyncIterable<RecordedEvent> = store.subscribeToAll({
      from: options.from,
      signal: controller.signal,
      batchSize: SSE_BATCH,
      ...(options.filter ? { filter: options.filter } : {}),
    });
    for await (const e of events) {
      if (controller.signal.aborted) break;
      const ok = res.write(`id: ${e.position}\nevent: ${options.eventName(e)}\ndata: ${options.data(e)}\n\n`);
      if (!ok) await streams.waitForClient(drained(res));
    }
  } catch (e) {
    if (!controller.signal.aborted)
      res.write(`event: error\ndata: ${JSON.stringify({ detail: (e as Error).message })}\n\n`);
  } finally {
    clearInterval(heartbeat);
    controller.abort();
    res.end();
    unregister();
    markEnded();
  }
};
