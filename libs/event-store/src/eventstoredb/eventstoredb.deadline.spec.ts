import { PassThrough } from 'node:stream';
import { DeadlineExceededError, EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { DEFAULT_DEADLINE_MS, deadlineOf, type Timer } from './eventstoredb.deadline';

// The deadline timers are fired by hand: no test waits on the clock.
const manualTimer = () => {
  const pending: { ms: number; fire: () => void; cancelled: boolean }[] = [];
  const timer: Timer = (ms, fire) => {
    const entry = { ms, fire, cancelled: false };
    pending.push(entry);
    return () => void (entry.cancelled = true);
  };
  const fireAll = (): number => {
    const live = pending.filter((p) => !p.cancelled);
    for (const p of live) {
      p.cancelled = true;
      p.fire();
    }
    return live.length;
  };
  return { timer, pending, fireAll };
};

/** A read the server never answers: the client's read stream stays silent. */
const silentRead = () => {
  const read = new PassThrough({ objectMode: true });
  const cancel = jest.fn(async () => void read.destroy());
  return Object.assign(read, { cancel });
};

describe('EventStoreDB deadlines on reads and subscriptions (the client sends them without one)', () => {
  it('takes the deadline from the connection string’s defaultDeadline, else the client’s default', () => {
    expect(deadlineOf('esdb://a:2113,b:2113,c:2113?tls=false&defaultDeadline=2500')).toBe(2500);
    expect(deadlineOf('esdb://a:2113?tls=false')).toBe(DEFAULT_DEADLINE_MS);
  });

  it('fails a silent stream read with the client’s DeadlineExceededError and cancels the call', async () => {
    const { timer, pending, fireAll } = manualTimer();
    const read = silentRead();
    const client = {
      readStream: () => read,
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    const store = new EventStoreDbEventStore(client, { timer, deadlineMs: 1234 });
    const reading = store.readStream('dossier-A');
    await new Promise((r) => setImmediate(r));
    expect(pending.map((p) => p.ms)).toEqual([1234]);
    expect(fireAll()).toBe(1);
    await expect(reading).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(read.cancel).toHaveBeenCalled();
    await store.close();
  });

  it('fails a silent $all read (head position) the same way', async () => {
    const { timer, fireAll } = manualTimer();
    const read = silentRead();
    const client = { readAll: () => read, dispose: async () => undefined } as unknown as EventStoreDBClient;
    const store = new EventStoreDbEventStore(client, { timer });
    const head = store.headPosition();
    await new Promise((r) => setImmediate(r));
    fireAll();
    await expect(head).rejects.toThrow(/pas de réponse du cluster/);
    await store.close();
  });

  it('drops a subscription the cluster never confirms and subscribes again', async () => {
    const { timer, fireAll } = manualTimer();
    const subscriptions: PassThrough[] = [];
    const client = {
      subscribeToAll: () => {
        const s = Object.assign(new PassThrough({ objectMode: true }), {
          unsubscribe: async () => undefined,
        });
        subscriptions.push(s);
        return s;
      },
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    const delays: number[] = [];
    const store = new EventStoreDbEventStore(client, {
      timer,
      random: () => 0,
      sleep: async (ms) => void delays.push(ms),
    });
    const controller = new AbortController();
    const iterator = store.subscribeToAll({ signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    await new Promise((r) => setImmediate(r));
    expect(subscriptions).toHaveLength(1);
    fireAll();
    for (let i = 0; i < 20 && subscriptions.length < 2; i++) await new Promise((r) => setImmediate(r));
    expect(subscriptions).toHaveLength(2);
    expect(delays).toHaveLength(1);
    // The second one confirms: its deadline is cancelled, nothing fires any more.
    subscriptions[1]!.emit('confirmation');
    expect(fireAll()).toBe(0);
    controller.abort();
    await next;
    await store.close();
  });

  it('close() disposes the gRPC client it created from a connection string', async () => {
    const created: EventStoreDBClient[] = [];
    const real = EventStoreDBClient.connectionString.bind(EventStoreDBClient);
    const spy = jest
      .spyOn(EventStoreDBClient, 'connectionString')
      .mockImplementation((...args: Parameters<typeof real>) => {
        const client = real(...args);
        created.push(client);
        return client;
      });
    try {
      // No server: the client connects lazily, so nothing is dialled before close().
      const store = new EventStoreDbEventStore('esdb://127.0.0.1:1?tls=false');
      const dispose = jest.spyOn(created[0]!, 'dispose');
      await store.close();
      expect(dispose).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
