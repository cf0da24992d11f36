import { PassThrough } from 'node:stream';
import {
  AccessDeniedError,
  START,
  UnavailableError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { encodePosition } from './eventstoredb.position';

// No ESDB server can run here. The resubscription loop only needs `subscribeToAll` to hand back a
// readable of resolved events that can fail or end, which this fake does and nothing more; the
// real client's behaviour is checked by the contract suite against a server (eventstoredb.esdb.spec.ts).

type Script = (subscription: FakeSubscription) => void;

class FakeSubscription extends PassThrough {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
  }
}

const fakeClient = (scripts: Script[]) => {
  const calls: SubscribeToAllOptions[] = [];
  const subscriptions: FakeSubscription[] = [];
  const client = {
    subscribeToAll(options: SubscribeToAllOptions) {
      calls.push(options);
      const subscription = new FakeSubscription();
      subscriptions.push(subscription);
      const script = scripts[calls.length - 1];
      // Like the real client: data flows after the call returns.
      setImmediate(() => script?.(subscription));
      return subscription;
    },
    async dispose() {},
  };
  return { client: client as unknown as EventStoreDBClient, calls, subscriptions };
};

/** Fail the call once what was written has been read: destroy() would drop a still-buffered event. */
const failWhenDrained = (subscription: FakeSubscription, error: Error): void => {
  if (subscription.readableLength > 0) {
    setImmediate(() => failWhenDrained(subscription, error));
    return;
  }
  setImmediate(() => subscription.destroy(error));
};

const esdbEvent = (
  commit: bigint,
  type = 'AvanceImported',
  streamId = 'dossier-A',
): AllStreamResolvedEvent => ({
  event: {
    streamId,
    id: `id-${commit}`,
    isJson: true,
    revision: commit - 1n,
    type,
    created: new Date('2026-03-01T00:00:00.000Z'),
    data: { n: Number(commit) },
    metadata: {
      actor: { id: 'a', role: 'r' },
      correlationId: 'c',
      causationId: null,
      schemaVersion: 1,
      recordedAt: '2026-03-01T00:00:00.000Z',
    },
    position: { commit, prepare: commit },
  },
  commitPosition: commit,
});

const pos = (commit: bigint) => encodePosition({ commit, prepare: commit });

const setup = (scripts: Script[], maxDelayMs = 30_000) => {
  const fake = fakeClient(scripts);
  const delays: number[] = [];
  const store = new EventStoreDbEventStore(fake.client, {
    random: () => 0,
    backoff: { maxMs: maxDelayMs },
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { ...fake, delays, store };
};

const take = async (iterable: AsyncIterable<RecordedEvent>, count: number, controller: AbortController) => {
  const seen: RecordedEvent[] = [];
  for await (const event of iterable) {
    seen.push(event);
    if (seen.length === count) controller.abort();
  }
  return seen;
};

describe('EventStoreDbEventStore.subscribeToAll resubscription', () => {
  it('resumes after a drop from the last delivered position, without duplicates', async () => {
    const { store, calls, delays, subscriptions } = setup([
      (s) => {
        s.write(esdbEvent(1n));
        s.write(esdbEvent(2n, '$metadata', '$$dossier-A'));
        s.write(esdbEvent(3n));
        failWhenDrained(s, new UnavailableError());
      },
      (s) => {
        s.write(esdbEvent(3n)); // the resumed call hands back the position it started from
        s.write(esdbEvent(4n));
      },
    ]);
    const controller = new AbortController();

    const seen = await take(store.subscribeToAll({ signal: controller.signal }), 3, controller);

    expect(seen.map((e) => e.position)).toEqual([pos(1n), pos(3n), pos(4n)]);
    expect(calls[0]?.fromPosition).toBe(START);
    expect(calls[1]?.fromPosition).toEqual({ commit: 3n, prepare: 3n });
    expect(delays).toEqual([100]);
    expect(subscriptions.every((s) => s.unsubscribed)).toBe(true);
  });

  it('starts after the given checkpoint with the server-side filter', async () => {
    const { store, calls } = setup([(s) => s.write(esdbEvent(8n))]);
    const controller = new AbortController();

    const seen = await take(
      store.subscribeToAll({
        from: pos(7n),
        filter: { types: ['AvanceImported'] },
        signal: controller.signal,
      }),
      1,
      controller,
    );

    expect(seen.map((e) => e.streamVersion)).toEqual([8]);
    expect(calls[0]).toMatchObject({
      fromPosition: { commit: 7n, prepare: 7n },
      filter: { filterOn: 'eventType', regex: '^(?:AvanceImported)$' },
    });
  });

  it('grows the delay while drops repeat, up to the cap, and resets once events flow', async () => {
    const drop: Script = (s) => s.destroy(new UnavailableError());
    const { store, delays } = setup(
      [
        drop,
        drop,
        drop,
        drop,
        (s) => {
          s.write(esdbEvent(1n));
          failWhenDrained(s, new UnavailableError());
        },
        drop,
        (s) => s.write(esdbEvent(2n)),
      ],
      300,
    );
    const controller = new AbortController();

    await take(store.subscribeToAll({ signal: controller.signal }), 2, controller);

    expect(delays).toEqual([100, 200, 300, 300, 100, 200]);
  });

  it('resubscribes when the server ends the call cleanly', async () => {
    const { store, calls } = setup([(s) => s.end(), (s) => s.write(esdbEvent(1n))]);
    const controller = new AbortController();

    await take(store.subscribeToAll({ signal: controller.signal }), 1, controller);

    expect(calls).toHaveLength(2);
  });

  it('ends cleanly when the signal aborts while waiting for live events', async () => {
    const { store, subscriptions } = setup([(s) => s.write(esdbEvent(1n))]);
    const controller = new AbortController();
    const seen: RecordedEvent[] = [];

    const done = (async () => {
      for await (const event of store.subscribeToAll({ signal: controller.signal })) seen.push(event);
    })();
    // Live once the catch-up event has come through: then abort while it waits for more.
    while (seen.length < 1) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await done;

    expect(seen).toHaveLength(1);
    expect(subscriptions[0]?.unsubscribed).toBe(true);
  });

  it('ends every subscription when the store closes', async () => {
    const { store, subscriptions } = setup([() => undefined]);
    const done = (async () => {
      for await (const _ of store.subscribeToAll()) void _;
    })();
    while (subscriptions.length < 1) await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    await expect(done).resolves.toBeUndefined();
  });

  it('gives up on errors that would only repeat', async () => {
    const { store, calls } = setup([(s) => s.destroy(new AccessDeniedError())]);

    await expect(take(store.subscribeToAll(), 1, new AbortController())).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    expect(calls).toHaveLength(1);
  });
});

describe('EventStoreDB subscription from a foreign checkpoint', () => {
  it('refuses a PostgreSQL checkpoint before subscribing', async () => {
    const { client, calls } = fakeClient([]);
    const store = new EventStoreDbEventStore(client);
    const iterator = store
      .subscribeToAll({ from: '00000000000000000742-00000000000000000042' })
      [Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow(/émis par un store PostgreSQL/);
    expect(calls).toHaveLength(0);
    await store.close();
  });
});
