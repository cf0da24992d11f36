import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  comparePositions,
  type EventStore,
  type RecordedEvent,
} from '../event-store.port';
import { UUID_V7, ev, metadata, prefix, type ContractSubject } from './contract-support';

/** Appending to one stream and reading it back; expected versions, alone and under a race. */
export const describeAppendContract = (subject: ContractSubject): void => {
  let store: EventStore;
  // The contract's own beforeAll, registered before this one, has opened the store.
  beforeAll(() => {
    ({ store } = subject);
  });

  describe('append and read a stream', () => {
    it('records the envelope and numbers the stream from 1', async () => {
      const s = `${prefix()}dossier`;
      const meta = metadata({ causationId: randomUUID() });
      const result = await store.appendToStream(
        s,
        [
          ev('AvanceImported', { montant: 120_000 }, { metadata: meta }),
          ev('AvancePaymentRecorded', { n: 1 }),
        ],
        { expectedVersion: 'no_stream' },
      );
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.events.map((e) => e.streamVersion)).toEqual([1, 2]);
      expect(result.lastPosition).toBe(result.events[1]?.position);

      const read = await store.readStream(s);
      expect(read).toHaveLength(2);
      const [first, second] = read as [RecordedEvent, RecordedEvent];
      expect(first).toMatchObject({
        type: 'AvanceImported',
        schemaVersion: 1,
        streamId: s,
        streamVersion: 1,
        data: { montant: 120_000 },
        metadata: meta,
      });
      expect(first.id).toMatch(UUID_V7);
      expect(new Date(first.recordedAt).toISOString()).toBe(first.recordedAt);
      expect(second.streamVersion).toBe(2);
      expect(comparePositions(first.position, second.position)).toBe(-1);
      expect(read.map((e) => e.position)).toEqual(result.events.map((e) => e.position));
      expect(await store.streamVersion(s)).toBe(2);
    });

    it('keeps a caller-chosen id and schema version', async () => {
      const s = `${prefix()}dossier`;
      const id = '01890a5d-ac96-774b-bcce-b302099a8057';
      await store.appendToStream(s, [ev('SoldeImported', {}, { id, schemaVersion: 3 })], {
        expectedVersion: 'no_stream',
      });
      expect(await store.readStream(s)).toMatchObject([{ id, schemaVersion: 3 }]);
    });

    it('reads from a version, and an unknown stream as empty', async () => {
      const s = `${prefix()}dossier`;
      await store.appendToStream(s, [ev('A'), ev('B'), ev('C'), ev('D')], { expectedVersion: 'no_stream' });
      expect((await store.readStream(s, { fromVersion: 3 })).map((e) => e.type)).toEqual(['C', 'D']);
      expect(await store.readStream(s, { fromVersion: 5 })).toEqual([]);
      expect(await store.readStream(`${prefix()}missing`)).toEqual([]);
      expect(await store.streamVersion(`${prefix()}missing`)).toBe(0);
    });

    it('reads many streams at once, each whole and in order, unknown ones as empty', async () => {
      const p = prefix();
      const [a, b, missing] = [`${p}a`, `${p}b`, `${p}missing`];
      await store.appendToStream(a, [ev('A1'), ev('A2')], { expectedVersion: 'no_stream' });
      await store.appendToStream(b, [ev('B1')], { expectedVersion: 'no_stream' });
      await store.appendToStream(a, [ev('A3')], { expectedVersion: 2 });
      const read = await store.readStreams([b, missing, a, b]);
      expect([...read.keys()].sort()).toEqual([a, b, missing].sort());
      expect(read.get(a)?.map((e) => [e.type, e.streamVersion])).toEqual([
        ['A1', 1],
        ['A2', 2],
        ['A3', 3],
      ]);
      expect(read.get(a)).toEqual(await store.readStream(a));
      expect(read.get(b)?.map((e) => e.type)).toEqual(['B1']);
      expect(read.get(missing)).toEqual([]);
      expect((await store.readStreams([])).size).toBe(0);
    });
  });

  describe('expected version', () => {
    const conflict = async (promise: Promise<unknown>, actual: number): Promise<void> => {
      const error: unknown = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'CONFLIT_VERSION', actual });
    };

    it('no_stream fails on an existing stream; 0 means no_stream', async () => {
      const s = `${prefix()}dossier`;
      await store.appendToStream(s, [ev('A')], { expectedVersion: 0 });
      await conflict(store.appendToStream(s, [ev('B')], { expectedVersion: 'no_stream' }), 1);
      await conflict(store.appendToStream(s, [ev('B')], { expectedVersion: 0 }), 1);
      expect(await store.streamVersion(s)).toBe(1);
    });

    it('an exact version fails when behind or ahead, and appends nothing', async () => {
      const s = `${prefix()}dossier`;
      await store.appendToStream(s, [ev('A'), ev('B')], { expectedVersion: 'no_stream' });
      await conflict(store.appendToStream(s, [ev('C')], { expectedVersion: 1 }), 2);
      await conflict(store.appendToStream(s, [ev('C'), ev('D')], { expectedVersion: 3 }), 2);
      await conflict(store.appendToStream(`${prefix()}missing`, [ev('C')], { expectedVersion: 4 }), 0);
      const ok = await store.appendToStream(s, [ev('C')], { expectedVersion: 2 });
      expect(ok.nextExpectedVersion).toBe(3);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('stream_exists fails on a missing stream; any always appends', async () => {
      const s = `${prefix()}dossier`;
      await conflict(store.appendToStream(s, [ev('A')], { expectedVersion: 'stream_exists' }), 0);
      expect((await store.appendToStream(s, [ev('A')], { expectedVersion: 'any' })).nextExpectedVersion).toBe(
        1,
      );
      expect((await store.appendToStream(s, [ev('B')], { expectedVersion: 'any' })).nextExpectedVersion).toBe(
        2,
      );
      const exists = await store.appendToStream(s, [ev('C')], { expectedVersion: 'stream_exists' });
      expect(exists.events[0]?.streamVersion).toBe(3);
    });

    it('two concurrent appenders on one stream: exactly one wins', async () => {
      for (let round = 0; round < 5; round++) {
        const s = `${prefix()}dossier`;
        if (round % 2) await store.appendToStream(s, [ev('Start')], { expectedVersion: 'no_stream' });
        const expected = round % 2 ? 1 : 'no_stream';
        const outcomes = await Promise.allSettled([
          store.appendToStream(s, [ev('X'), ev('X')], { expectedVersion: expected }),
          store.appendToStream(s, [ev('Y')], { expectedVersion: expected }),
        ]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(WrongExpectedVersionError);
        const types = (await store.readStream(s)).map((e) => e.type).filter((t) => t !== 'Start');
        expect([['X', 'X'], ['Y']]).toContainEqual(types);
      }
    });
  });
};
