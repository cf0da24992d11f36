import { WrongExpectedVersionError, type EventStore } from '../event-store.port';
import { ev, prefix, readAllFrom, visible, type ContractSubject } from './contract-support';

/** appendMany: each item all or nothing, conflicts reported per item, positions agreeing with readAll. */
export const describeAppendManyContract = (subject: ContractSubject): void => {
  let store: EventStore;
  // The contract's own beforeAll, registered before this one, has opened the store.
  beforeAll(() => {
    ({ store } = subject);
  });

  describe('appendMany', () => {
    it('is all or nothing per stream: a conflict does not fail the others', async () => {
      const p = prefix();
      await store.appendToStream(`${p}b`, [ev('B0')], { expectedVersion: 'no_stream' });
      await store.appendToStream(`${p}c`, [ev('C0')], { expectedVersion: 'no_stream' });
      const results = await store.appendMany([
        { streamId: `${p}a`, events: [ev('A1'), ev('A2')], expectedVersion: 'no_stream' },
        { streamId: `${p}b`, events: [ev('B1'), ev('B2')], expectedVersion: 'no_stream' },
        { streamId: `${p}c`, events: [ev('C1'), ev('C2'), ev('C3')], expectedVersion: 1 },
        { streamId: `${p}d`, events: [ev('D1')], expectedVersion: 'stream_exists' },
        { streamId: `${p}e`, events: [ev('E1')], expectedVersion: 'any' },
      ]);
      expect(results.map((r) => [r.streamId, r.ok])).toEqual([
        [`${p}a`, true],
        [`${p}b`, false],
        [`${p}c`, true],
        [`${p}d`, false],
        [`${p}e`, true],
      ]);
      const b = results[1];
      expect(b?.ok === false && b.error).toBeInstanceOf(WrongExpectedVersionError);
      expect(b?.ok === false && b.error.actual).toBe(1);
      const c = results[2];
      expect(c?.ok && c.result.nextExpectedVersion).toBe(4);
      expect((await store.readStream(`${p}a`)).map((e) => e.type)).toEqual(['A1', 'A2']);
      expect((await store.readStream(`${p}b`)).map((e) => e.type)).toEqual(['B0']);
      expect((await store.readStream(`${p}c`)).map((e) => e.type)).toEqual(['C0', 'C1', 'C2', 'C3']);
      expect(await store.streamVersion(`${p}d`)).toBe(0);
      expect(await store.streamVersion(`${p}e`)).toBe(1);
    });

    // Exact versions only is the case PostgreSQL checks inside the insert (no version query).
    it('with exact versions only, refuses stale and future versions and writes the rest', async () => {
      const p = prefix();
      await store.appendToStream(`${p}b`, [ev('B0')], { expectedVersion: 'no_stream' });
      await store.appendToStream(`${p}c`, [ev('C0'), ev('C1')], { expectedVersion: 'no_stream' });
      await store.appendToStream(`${p}d`, [ev('D0')], { expectedVersion: 'no_stream' });
      const results = await store.appendMany([
        { streamId: `${p}a`, events: [ev('A1'), ev('A2')], expectedVersion: 'no_stream' },
        { streamId: `${p}b`, events: [ev('B1')], expectedVersion: 'no_stream' },
        { streamId: `${p}c`, events: [ev('C2')], expectedVersion: 1 },
        { streamId: `${p}d`, events: [ev('D1')], expectedVersion: 3 },
        { streamId: `${p}e`, events: [ev('E1')], expectedVersion: 0 },
      ]);
      expect(results.map((r) => [r.streamId, r.ok])).toEqual([
        [`${p}a`, true],
        [`${p}b`, false],
        [`${p}c`, false],
        [`${p}d`, false],
        [`${p}e`, true],
      ]);
      expect(results.map((r) => (r.ok ? r.result.nextExpectedVersion : r.error.actual))).toEqual([
        2, 1, 2, 1, 1,
      ]);
      const a = results[0];
      expect(a?.ok && a.result.events.map((e) => [e.type, e.streamVersion])).toEqual([
        ['A1', 1],
        ['A2', 2],
      ]);
      expect((await store.readStream(`${p}c`)).map((e) => e.type)).toEqual(['C0', 'C1']);
      expect((await store.readStream(`${p}d`)).map((e) => e.type)).toEqual(['D0']);
      const last = results[4];
      await visible(store, (last?.ok && last.result.lastPosition) as string);
      const read = await readAllFrom(store, { limit: 100, filter: { streamPrefix: p } });
      expect(read.slice(-3).map((e) => e.type)).toEqual(['A1', 'A2', 'E1']);
    });

    it('without events asked back, still reports versions and last positions', async () => {
      const p = prefix();
      await store.appendToStream(`${p}b`, [ev('B0')], { expectedVersion: 'no_stream' });
      const results = await store.appendMany(
        [
          { streamId: `${p}a`, events: [ev('A1'), ev('A2')], expectedVersion: 'no_stream' },
          { streamId: `${p}b`, events: [ev('B1')], expectedVersion: 'no_stream' },
          { streamId: `${p}c`, events: [ev('C1')], expectedVersion: 0 },
        ],
        { returnEvents: false },
      );
      expect(results.map((r) => (r.ok ? r.result.nextExpectedVersion : r.error.actual))).toEqual([2, 1, 1]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      for (const [i, stream] of [
        [0, `${p}a`],
        [2, `${p}c`],
      ] as const) {
        const r = results[i];
        const read = await store.readStream(stream);
        expect(r?.ok && r.result.lastPosition).toBe(read.at(-1)?.position);
      }
    });

    it('returns positions that read-all agrees with', async () => {
      const p = prefix();
      const results = await store.appendMany(
        Array.from({ length: 20 }, (_, i) => ({
          streamId: `${p}${i}`,
          events: [ev('Imported', { i }), ev('Paid', { i })],
          expectedVersion: 'no_stream' as const,
        })),
      );
      const written = results.flatMap((r) => (r.ok ? r.result.events : []));
      expect(written).toHaveLength(40);
      await visible(
        store,
        written
          .map((e) => e.position)
          .sort()
          .at(-1) as string,
      );
      const read = await readAllFrom(store, { limit: 100, filter: { streamPrefix: p } });
      expect(read.map((e) => e.position).sort()).toEqual(written.map((e) => e.position).sort());
      expect(read.map((e) => e.id).sort()).toEqual(written.map((e) => e.id).sort());
    });
  });
};
