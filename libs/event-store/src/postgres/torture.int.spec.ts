import { randomUUID } from 'node:crypto';
import { SubscriptionCollector } from '../contract/subscription-collector';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import type { SqlExecutor } from '../sql-client';
import { createPostgresTestStore } from './postgres.test-store';

const url = process.env.TEST_DATABASE_URL;

const WRITERS = 8;
const TARGET_EVENTS = 2_400;
const STREAMS_PER_WRITER = 6;

// Random transaction lengths, and now and then a long one: it has taken its sequence numbers at
// INSERT, then sleeps while the other writers commit higher ones. That is the late commit a naive
// `ORDER BY global_position` reader skips for good.
const randomDelay = async (tx: SqlExecutor): Promise<void> => {
  const long = Math.random() < 0.06;
  const seconds = long ? 0.15 + Math.random() * 0.15 : Math.random() * 0.012;
  await tx.query('SELECT pg_sleep($1)', [seconds]);
};

const event = (writer: number, n: number): NewEvent => ({
  type: n % 3 ? 'PieceAdded' : 'ModificationRequested',
  data: { writer, n },
  metadata: {
    actor: { id: `w${writer}`, role: 'fournisseur' },
    correlationId: randomUUID(),
    causationId: null,
  },
});

/** The reader this store exists to avoid: trusts the sequence order and moves past gaps. */
const naivePoller = (sql: SqlExecutor, signal: AbortSignal) => {
  const seen: string[] = [];
  const done = (async () => {
    let last = '0';
    while (!signal.aborted) {
      const r = await sql.query<{ global_position: string; event_id: string }>(
        `SELECT global_position, event_id::text AS event_id FROM es_events
         WHERE global_position > $1 ORDER BY global_position LIMIT 500`,
        [last],
      );
      for (const row of r.rows) seen.push(row.event_id);
      last = r.rows.at(-1)?.global_position ?? last;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();
  return { seen, done };
};

if (!url) test.skip('PostgreSQL torture: set TEST_DATABASE_URL', () => undefined);
else
  describe('PostgreSQL event store under concurrent late commits', () => {
    it(`${WRITERS} writers, ${TARGET_EVENTS}+ events: the subscriber sees each once, in read-all order; a naive reader misses some`, async () => {
      const { store, sql, teardown } = await createPostgresTestStore(url, {
        beforeCommit: randomDelay,
        max: WRITERS + 6,
        // As many transactions in flight as writers, as without group commit: the late, out of
        // sequence order commits this test needs come from concurrent transactions (appends still
        // take the group path; grouping itself is tested in postgres.append-alongside.int.spec.ts).
        groupCommit: { maxInFlight: WRITERS },
      });
      const stop = new AbortController();
      try {
        const subscriber = new SubscriptionCollector(
          store.subscribeToAll({ from: null, signal: stop.signal, batchSize: 200, pollIntervalMs: 50 }),
        );
        const naive = naivePoller(sql, stop.signal);
        const written: RecordedEvent[] = [];

        await Promise.all(
          Array.from({ length: WRITERS }, async (_, w) => {
            const versions = new Array<number>(STREAMS_PER_WRITER).fill(0);
            for (let n = 0; written.length < TARGET_EVENTS; n++) {
              const k = n % STREAMS_PER_WRITER;
              const streamId = `dossier-w${w}-${k}`;
              if (n % 10 === 9) {
                // Now and then a two-stream batch, as the bulk import does.
                const other = (k + 1) % STREAMS_PER_WRITER;
                const results = await store.appendMany([
                  { streamId, events: [event(w, n)], expectedVersion: versions[k] as number },
                  {
                    streamId: `dossier-w${w}-${other}`,
                    events: [event(w, n)],
                    expectedVersion: versions[other] as number,
                  },
                ]);
                for (const r of results) {
                  if (!r.ok) throw r.error;
                  written.push(...r.result.events);
                }
                versions[k] = (versions[k] as number) + 1;
                versions[other] = (versions[other] as number) + 1;
              } else {
                const count = 1 + (n % 3);
                const r = await store.appendToStream(
                  streamId,
                  Array.from({ length: count }, () => event(w, n)),
                  { expectedVersion: versions[k] as number },
                );
                versions[k] = r.nextExpectedVersion;
                written.push(...r.events);
              }
            }
          }),
        );

        const live = await subscriber.until(written.length, 15_000);
        // A last naive poll once everything has committed: what it missed, it missed for good.
        await new Promise((resolve) => setTimeout(resolve, 100));
        stop.abort();
        await subscriber.done;
        await naive.done;

        const all: RecordedEvent[] = [];
        for (let after: string | null = null; ;) {
          const page = await store.readAll({ after, limit: 1_000 });
          all.push(...page.events);
          if (page.events.length < 1_000) break;
          after = page.cursor;
        }

        expect(all).toHaveLength(written.length);
        expect(new Set(all.map((e) => e.id))).toEqual(new Set(written.map((e) => e.id)));
        // Exactly once, in the order a later read gives.
        expect(subscriber.events).toHaveLength(written.length);
        expect(live.map((e) => e.id)).toEqual(all.map((e) => e.id));

        // Reported, not asserted: an inversion of sequence order inside the (xid, position) order
        // needs two transactions to interleave their xid and sequence draws, which grouped appends
        // (one statement) make rare; the late commits themselves show in what the naive reader lost.
        const sequence = all.map((e) => BigInt(e.position.slice(21)));
        const inversions = sequence.filter((p, i) => i > 0 && p < (sequence[i - 1] as bigint)).length;
        // The workload did commit out of sequence order: the naive reader lost events under it.
        const naiveSeen = new Set(naive.seen);
        const missed = written.filter((e) => !naiveSeen.has(e.id)).length;
        console.info(
          `torture: ${written.length} events, ${inversions} commit-order inversions, naive reader missed ${missed}`,
        );
        expect(missed).toBeGreaterThan(0);
      } finally {
        stop.abort();
        await teardown();
      }
    }, 30_000);
  });
