import { type Infrastructure } from '@segur/platform';
import { comparePositions, type EventStore, type NewEvent } from '@segur/event-store';

const meta = { actor: { id: 't', role: 'system' }, correlationId: 'c', causationId: null };

export const testEvent = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  data,
  metadata: meta,
});

/**
 * `count` events spread over a few dossier streams, types taken in turn from `types`. Returns once
 * readers can see them: on PostgreSQL an event becomes visible only when no older transaction is
 * still running (the store's gap-safe ordering), a moment after its append returned.
 */
export const appendEvents = async (
  infra: Infrastructure,
  count: number,
  types: readonly string[] = ['AvanceImported'],
  payload: Record<string, unknown> = {},
): Promise<string | null> => {
  let last: string | null = null;
  for (let i = 0; i < count; i++) {
    const stream = `dossier-FINSAS${String(1 + (i % 5)).padStart(6, '0')}`;
    const type = types[i % types.length] as string;
    last = (
      await infra.store.appendToStream(stream, [testEvent(type, { i, ...payload })], {
        expectedVersion: 'any',
      })
    ).lastPosition;
  }
  if (last !== null) await visible(infra.store, last);
  return last;
};

export const visible = async (store: EventStore, position: string, timeoutMs = 5_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (comparePositions(await store.headPosition(), position) < 0) {
    if (Date.now() > until) throw new Error(`position ${position} toujours invisible`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
