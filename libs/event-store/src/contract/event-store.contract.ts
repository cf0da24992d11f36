import { randomUUID } from 'node:crypto';
import {
  WrongExpectedVersionError,
  comparePositions,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
} from '../event-store.port';
import { Upcasters } from '../upcasters';
import { SubscriptionCollector } from './subscription-collector';

export interface ContractStoreOptions {
  /** The store under test must apply these on every read path. */
  upcasters?: Upcasters;
}

export type ContractStoreFactory = (
  options?: ContractStoreOptions,
) => Promise<{ store: EventStore; teardown: () => Promise<void> }>;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actor: { id: 'agent-1', role: 'instructeur' },
  correlationId: randomUUID(),
  causationId: null,
  commandId: randomUUID(),
  ...overrides,
});

const ev = (type: string, data: Record<string, unknown> = {}, extra: Partial<NewEvent> = {}): NewEvent => ({
  type,
  data,
  metadata: metadata(),
  ...extra,
});

/** A fresh stream prefix per test: the store is shared by the tests of one run. */
const prefix = (): string => `c${randomUUID().slice(0, 8)}-`;

const readAllFrom = async (store: EventStore, options: ReadAllOptions): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let after = options.after ?? null;
  for (;;) {
    const page = await store.readAll({ ...options, after });
    out.push(...page.events);
    if (page.events.length < options.limit) return out;
    after = page.cursor;
  }
};

/**
 * Gap-safe stores (PostgreSQL) show a committed event to readAll only once every older transaction
 * has ended — including other test files' transactions on the same server. A one-shot readAll right
 * after an append can therefore legitimately return less; wait until the head has reached `position`.
 */
const visible = async (store: EventStore, position: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const head = await store.headPosition();
    if (head !== null && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline) throw new Error(`head ${head} never reached ${position}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const expectStrictlyIncreasing = (events: readonly RecordedEvent[]): void => {
  for (let i = 1; i < events.length; i++) {
    expect(
      comparePositions((events[i - 1] as RecordedEvent).position, (events[i] as RecordedEvent).position),
    ).toBe(-1);
  }
};

/**
 * The behaviour every EventStore adapter must show. `factory` may be called more than once (the
 * upcasting test asks for a store with upcasters); a factory that ignores its options fails that test.
 */
export const describeEventStoreContract = (
  name: string,
  factory: ContractStoreFactory,
  options: { torture?: boolean } = {},
): void => {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, teardown } = await factory());
    });
    afterAll(async () => {
      await teardown?.();
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
        expect(
          (await store.appendToStream(s, [ev('A')], { expectedVersion: 'any' })).nextExpectedVersion,
        ).toBe(1);
        expect(
          (await store.appendToStream(s, [ev('B')], { expectedVersion: 'any' })).nextExpectedVersion,
        ).toBe(2);
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

    describe('subscribeToAll', () => {
      it('catches up then goes live, in read-all order', async () => {
        const start = await store.headPosition();
        const p = prefix();
        await store.appendToStream(`${p}1`, [ev('A'), ev('B'), ev('C')], { expectedVersion: 'no_stream' });
        const ac = new AbortController();
        const sub = new SubscriptionCollector(
          store.subscribeToAll({ from: start, signal: ac.signal, batchSize: 2, pollIntervalMs: 200 }),
        );
        try {
          await sub.until(3);
          await store.appendToStream(`${p}2`, [ev('D')], { expectedVersion: 'no_stream' });
          await store.appendMany([{ streamId: `${p}1`, events: [ev('E')], expectedVersion: 3 }]);
          await sub.until(5);
        } finally {
          ac.abort();
          await sub.done;
        }
        const mine = sub.events.filter((e) => e.streamId.startsWith(p));
        expect(mine.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
        const read = await readAllFrom(store, { after: start, limit: 100 });
        expect(sub.events.map((e) => e.id)).toEqual(read.map((e) => e.id));
      });

      it('filters server-side by type and prefix', async () => {
        const start = await store.headPosition();
        const p = prefix();
        const ac = new AbortController();
        const sub = new SubscriptionCollector(
          store.subscribeToAll({
            from: start,
            signal: ac.signal,
            filter: { types: ['Wanted'], streamPrefix: p },
            pollIntervalMs: 200,
          }),
        );
        try {
          await store.appendToStream(`${p}1`, [ev('Unwanted'), ev('Wanted', { n: 1 })], {
            expectedVersion: 'any',
          });
          await store.appendToStream(`${prefix()}1`, [ev('Wanted')], { expectedVersion: 'any' });
          await store.appendToStream(`${p}2`, [ev('Wanted', { n: 2 })], { expectedVersion: 'any' });
          await sub.until(2);
          await new Promise((r) => setTimeout(r, 300));
        } finally {
          ac.abort();
          await sub.done;
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

        const second = new AbortController();
        const sub = new SubscriptionCollector(
          store.subscribeToAll({ ...opts, from: seen.at(-1)?.position, signal: second.signal }),
        );
        try {
          await sub.until(4);
          await store.appendToStream(`${p}2`, [ev('E7')], { expectedVersion: 1 });
          await sub.until(5);
          await new Promise((r) => setTimeout(r, 300));
        } finally {
          second.abort();
          await sub.done;
        }
        expect([...seen, ...sub.events].map((e) => e.type)).toEqual([
          'E1',
          'E2',
          'E3',
          'E4',
          'E5',
          'E6',
          'E7',
        ]);
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

    describe('upcasting', () => {
      it('upcasts old schema versions on every read path', async () => {
        const upcasters = new Upcasters()
          .register('ContactSupportEdited', 1, (d) => ({
            ...(d as object),
            email: (d as { mail: string }).mail,
          }))
          .register('ContactSupportEdited', 2, (d) => ({ ...(d as object), telephone: null }));
        const { store: up, teardown: down } = await factory({ upcasters });
        try {
          const start = await up.headPosition();
          const s = `${prefix()}dossier`;
          const { lastPosition } = await up.appendToStream(
            s,
            [
              ev('ContactSupportEdited', { mail: 'a@b.fr' }, { schemaVersion: 1 }),
              ev(
                'ContactSupportEdited',
                { mail: 'c@d.fr', email: 'c@d.fr', telephone: '01' },
                { schemaVersion: 3 },
              ),
            ],
            { expectedVersion: 'no_stream' },
          );
          const expected = [
            { schemaVersion: 3, data: { mail: 'a@b.fr', email: 'a@b.fr', telephone: null } },
            { schemaVersion: 3, data: { mail: 'c@d.fr', email: 'c@d.fr', telephone: '01' } },
          ];
          await visible(up, lastPosition);
          expect(await up.readStream(s)).toMatchObject(expected);
          expect((await up.readStreams([s])).get(s)).toMatchObject(expected);
          expect(
            (await up.readAll({ after: start, limit: 10, filter: { streamPrefix: s } })).events,
          ).toMatchObject(expected);
          const ac = new AbortController();
          const sub = new SubscriptionCollector(
            up.subscribeToAll({ from: start, signal: ac.signal, filter: { streamPrefix: s } }),
          );
          try {
            expect(await sub.until(2)).toMatchObject(expected);
          } finally {
            ac.abort();
            await sub.done;
          }
        } finally {
          await down();
        }
      });
    });

    if (options.torture) {
      it('many concurrent appenders: versions without holes, a live subscriber sees each event once', async () => {
        const start = await store.headPosition();
        const p = prefix();
        const ac = new AbortController();
        const sub = new SubscriptionCollector(
          store.subscribeToAll({
            from: start,
            signal: ac.signal,
            filter: { streamPrefix: p },
            batchSize: 50,
          }),
        );
        const writers = 8;
        const appendsPerWriter = 25;
        try {
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              for (let i = 0; i < appendsPerWriter; i++) {
                const s = `${p}${i % 4}`;
                // Decide on a read version, retry on conflict: what command handlers do.
                for (;;) {
                  const version = await store.streamVersion(s);
                  try {
                    await store.appendToStream(s, [ev('T', { w, i })], { expectedVersion: version });
                    break;
                  } catch (e) {
                    if (!(e instanceof WrongExpectedVersionError)) throw e;
                  }
                }
              }
            }),
          );
          await sub.until(writers * appendsPerWriter, 20_000);
        } finally {
          ac.abort();
          await sub.done;
        }
        for (let i = 0; i < 4; i++) {
          const versions = (await store.readStream(`${p}${i}`)).map((e) => e.streamVersion);
          expect(versions).toEqual(versions.map((_, k) => k + 1));
        }
        const read = await readAllFrom(store, { after: start, limit: 100, filter: { streamPrefix: p } });
        expect(sub.events.map((e) => e.id)).toEqual(read.map((e) => e.id));
        expect(new Set(sub.events.map((e) => e.id)).size).toBe(writers * appendsPerWriter);
      }, 30_000);
    }
  });
};
