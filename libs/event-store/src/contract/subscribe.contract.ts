import { type EventStore, type RecordedEvent } from '../event-store.port';
import { collect, ev, prefix, readAllFrom, type ContractSubject } from './contract-support';
import { SubscriptionCollector } from './subscription-collector';

/** subscribeToAll: catch-up then live, filters, resuming from a checkpoint, ending on abort. */
export const describeSubscribeContract = (subject: ContractSubject): void => {
  let store: EventStore;
  // The contract's own beforeAll, registered before this one, has opened the store.
  beforeAll(() => {
    ({ store } = subject);
  });

  describe('subscribeToAll', () => {
    it('catches up then goes live, in read-all order', async () => {
      const start = await store.headPosition();
      const p = prefix();
      await store.appendToStream(`${p}1`, [ev('A'), ev('B'), ev('C')], { expectedVersion: 'no_stream' });
      const { sub, stop } = collect(store, { from: start, batchSize: 2, pollIntervalMs: 200 });
      try {
        await sub.until(3);
        await store.appendToStream(`${p}2`, [ev('D')], { expectedVersion: 'no_stream' });
        await store.appendMany([{ streamId: `${p}1`, events: [ev('E')], expectedVersion: 3 }]);
        await sub.until(5);
      } finally {
        await stop();
      }
      const mine = sub.events.filter((e) => e.streamId.startsWith(p));
      expect(mine.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      const read = await readAllFrom(store, { after: start, limit: 100 });
      expect(sub.events.map((e) => e.id)).toEqual(read.map((e) => e.id));
    });

    it('filters server-side by type and prefix', async () => {
      const start = await store.headPosition();
      const p = prefix();
      const { sub, stop } = collect(store, {
        from: start,
        filter: { types: ['Wanted'], streamPrefix: p },
        pollIntervalMs: 200,
      });
      try {
        await store.appendToStream(`${p}1`, [ev('Unwanted'), ev('Wanted', { n: 1 })], {
          expectedVersion: 'any',
        });
        await store.appendToStream(`${prefix()}1`, [ev('Wanted')], { expectedVersion: 'any' });
        await store.appendToStream(`${p}2`, [ev('Wanted', { n: 2 })], { expectedVersion: 'any' });
        await sub.until(2);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await stop();
      }
      expect(sub.events.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    });

    it('resumes after a restart from the last seen position: nothing lost, nothing repeated', async () => {
      const start = await store.headPosition();
      const p = prefix();
      const opts = { filter: { streamPrefix: p }, batchSize: 3, pollIntervalMs: 200 };
      await store.appendToStream(`${p}1`, [ev('E1'), ev('E2'), ev('E3'), ev('E4')], {
        expectedVersion: 'no_stream',
      });

      const first = new AbortController();
      const seen: RecordedEvent[] = [];
      for await (const e of store.subscribeToAll({ ...opts, from: start, signal: first.signal })) {
        seen.push(e);
        if (seen.length === 2) first.abort();
      }
      expect(seen.map((e) => e.type)).toEqual(['E1', 'E2']);

      await store.appendToStream(`${p}1`, [ev('E5')], { expectedVersion: 4 });
      await store.appendToStream(`${p}2`, [ev('E6')], { expectedVersion: 'no_stream' });

      const { sub, stop } = collect(store, { ...opts, from: seen.at(-1)?.position });
      try {
        await sub.until(4);
        await store.appendToStream(`${p}2`, [ev('E7')], { expectedVersion: 1 });
        await sub.until(5);
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        await stop();
      }
      expect([...seen, ...sub.events].map((e) => e.type)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7']);
    });

    it('ends when the signal aborts, even while waiting for events', async () => {
      const ac = new AbortController();
      const sub = new SubscriptionCollector(
        store.subscribeToAll({
          from: await store.headPosition(),
          signal: ac.signal,
          pollIntervalMs: 60_000,
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      ac.abort();
      await expect(
        Promise.race([sub.done.then(() => 'ended'), new Promise((r) => setTimeout(r, 3_000, 'hung'))]),
      ).resolves.toBe('ended');
    });
  });
};
