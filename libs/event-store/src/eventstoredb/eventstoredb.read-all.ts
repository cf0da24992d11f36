import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  type AllStreamResolvedEvent,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { ReadAllOptions, ReadAllPage, RecordedEvent } from '../event-store.port';
import type { EsdbContext } from './eventstoredb.context';
import { isHiddenEvent, matchesFilter } from './eventstoredb.filter';
import { toRecordedEvent } from './eventstoredb.mapping';
import { decodePosition, encodePosition } from './eventstoredb.position';

const HEAD_SCAN_PAGE = 32;

/**
 * Client 6.2.1 cannot filter a `$all` read on the server (only subscriptions take a filter; reads
 * gained one in the KurrentDB client), so pages are scanned in chunks and filtered here.
 */
export const readAll = async (ctx: EsdbContext, options: ReadAllOptions): Promise<ReadAllPage> => {
  const { limit, filter } = options;
  const after = options.after ?? null;
  const events: RecordedEvent[] = [];
  if (limit <= 0) return { events, cursor: after };

  const chunk = Math.min(Math.max(limit * 2, 64), 4096);
  // ESDB reads from a position inclusively, our cursor is exclusive: `floor` is the last position
  // already dealt with, skipped when a chunk hands it back.
  let floor = after;
  for (;;) {
    let scanned = 0;
    let lastScanned = floor;
    const read = ctx.client.readAll({
      fromPosition: floor === null ? START : decodePosition(floor),
      direction: FORWARDS,
      maxCount: chunk,
    });
    try {
      for await (const resolved of ctx.deadlined(read, 'lecture de $all')) {
        scanned++;
        const event = resolved.event;
        if (!event) continue;
        const position = encodePosition(event.position);
        if (floor !== null && position <= floor) continue;
        lastScanned = position;
        if (!matchesFilter(event, filter)) continue;
        events.push(ctx.upcasters.upcast(toRecordedEvent(event)));
        if (events.length === limit) break;
      }
    } finally {
      if (events.length === limit) await read.cancel();
    }
    if (events.length === limit || scanned < chunk || lastScanned === floor) break;
    floor = lastScanned;
  }
  return { events, cursor: events.at(-1)?.position ?? after };
};

/**
 * The last event readers can see (neither a system event nor a checkpoint): subscribers never see
 * the others, so they could never reach one.
 */
export const headPosition = async (
  ctx: EsdbContext,
  options: { requiresLeader?: boolean } = {},
): Promise<string | null> => {
  // Backwards reads include their start position: `ceiling` is skipped when a page repeats it.
  let ceiling: string | null = null;
  for (;;) {
    let scanned = 0;
    let oldest: string | null = null;
    const read = ctx.client.readAll({
      fromPosition: ceiling === null ? END : decodePosition(ceiling),
      direction: BACKWARDS,
      maxCount: HEAD_SCAN_PAGE,
      ...(options.requiresLeader ? { requiresLeader: true } : {}),
    });
    for await (const resolved of ctx.deadlined(read, 'lecture de la tête de $all')) {
      scanned++;
      const event = resolved.event;
      if (!event) continue;
      const position = encodePosition(event.position);
      if (ceiling !== null && position >= ceiling) continue;
      if (!isHiddenEvent(event)) {
        await read.cancel();
        return position;
      }
      oldest = position;
    }
    if (scanned < HEAD_SCAN_PAGE || oldest === null) return null;
    ceiling = oldest;
  }
};

/**
 * Every event readers can see in (after, upTo], raw (with its `$audit` links), in log order, a
 * chunk of `$all` at a time: what the audit log scans for stream ids and heads.
 */
export async function* scanAll(
  ctx: EsdbContext,
  after: string | null,
  upTo: string | null = null,
  chunk = 1024,
): AsyncGenerator<EsdbRecordedEvent & { position: NonNullable<EsdbRecordedEvent['position']> }> {
  let floor = after;
  for (;;) {
    let scanned = 0;
    let lastScanned = floor;
    const read = ctx.client.readAll({
      fromPosition: floor === null ? START : decodePosition(floor),
      direction: FORWARDS,
      maxCount: chunk,
      requiresLeader: true,
    });
    for await (const resolved of ctx.deadlined(
      read as AsyncIterable<AllStreamResolvedEvent>,
      'lecture de $all',
    )) {
      scanned++;
      const event = resolved.event;
      if (!event?.position) continue;
      const position = encodePosition(event.position);
      if (floor !== null && position <= floor) continue;
      if (upTo !== null && position > upTo) {
        await read.cancel();
        return;
      }
      lastScanned = position;
      if (!isHiddenEvent(event)) yield event;
    }
    if (scanned < chunk || lastScanned === floor) return;
    floor = lastScanned;
  }
}
