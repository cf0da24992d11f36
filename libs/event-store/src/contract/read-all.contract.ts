import { type EventStore } from '../event-store.port';
import {
  ev,
  expectStrictlyIncreasing,
  prefix,
  readAllFrom,
  visible,
  type ContractSubject,
} from './contract-support';

/** readAll: pages in global order, from a cursor or the beginning, filtered by type and stream prefix. */
export const describeReadAllContract = (subject: ContractSubject): void => {
  let store: EventStore;
  // The contract's own beforeAll, registered before this one, has opened the store.
  beforeAll(() => {
    ({ store } = subject);
  });

  describe('read all', () => {
    it('pages through the same sequence as one read, in increasing positions', async () => {
      const start = await store.headPosition();
      const p = prefix();
      let last = '';
      for (let i = 0; i < 7; i++) {
        ({ lastPosition: last } = await store.appendToStream(
          `${p}${i % 3}`,
          [ev('E', { i }), ev('F', { i })],
          { expectedVersion: 'any' },
        ));
      }
      await visible(store, last);
      const whole = await store.readAll({ after: start, limit: 1_000 });
      expect(whole.events.filter((e) => e.streamId.startsWith(p))).toHaveLength(14);
      expectStrictlyIncreasing(whole.events);
      expect(whole.cursor).toBe(whole.events.at(-1)?.position);
      const paged = await readAllFrom(store, { after: start, limit: 3 });
      expect(paged.map((e) => e.id)).toEqual(whole.events.map((e) => e.id));

      const end = await store.readAll({ after: whole.cursor, limit: 10 });
      expect(end.events).toEqual([]);
      expect(end.cursor).toBe(whole.cursor);
      expect(await store.headPosition()).toBe(whole.cursor);
    });

    it('reads from the beginning with a null cursor', async () => {
      const page = await store.readAll({ after: null, limit: 2 });
      expect(page.events).toHaveLength(2);
      expectStrictlyIncreasing(page.events);
    });

    it('filters by event type and by stream prefix', async () => {
      const start = await store.headPosition();
      const p = prefix();
      const q = prefix();
      await store.appendToStream(`${p}1`, [ev('Kept'), ev('Dropped')], { expectedVersion: 'no_stream' });
      await store.appendToStream(`${q}1`, [ev('Kept'), ev('Other')], { expectedVersion: 'no_stream' });
      const { lastPosition } = await store.appendToStream(`${p}2`, [ev('Other')], {
        expectedVersion: 'no_stream',
      });
      await visible(store, lastPosition);

      const byPrefix = await readAllFrom(store, { after: start, limit: 2, filter: { streamPrefix: p } });
      expect(byPrefix.map((e) => `${e.streamId.slice(p.length)}:${e.type}`)).toEqual([
        '1:Kept',
        '1:Dropped',
        '2:Other',
      ]);
      const byType = await readAllFrom(store, {
        after: start,
        limit: 1,
        filter: { types: ['Kept', 'Other'] },
      });
      expect(byType.map((e) => e.streamId.slice(0, p.length) + e.type)).toEqual([
        `${p}Kept`,
        `${q}Kept`,
        `${q}Other`,
        `${p}Other`,
      ]);
      const both = await readAllFrom(store, {
        after: start,
        limit: 10,
        filter: { types: ['Kept'], streamPrefix: q },
      });
      expect(both.map((e) => e.streamId)).toEqual([`${q}1`]);
      const none = await store.readAll({ after: start, limit: 10, filter: { types: [] } });
      expect(none.events).toEqual([]);
    });
  });
};
