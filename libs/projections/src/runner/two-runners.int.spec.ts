import { PgSqlClient, requirePostgresUrl } from '@segur/event-store';
import { randomBytes } from 'node:crypto';
import { countStats, createCountingProjection } from '../testing/counting.projection';
import { meta } from '../testing/garage-poulat.fixture';
import { InMemoryEventStore } from '../testing/test-event-store';
import { ProjectionRunner } from './projection-runner';

jest.setTimeout(60_000);

const url = requirePostgresUrl();

// Advisory locks between two workers need two real sessions: PGlite is one session in one process.
if (!url) {
  describe('two runners on one projection (PostgreSQL only)', () => {
    test.skip('needs TEST_DATABASE_URL: advisory locks between workers need real PostgreSQL sessions', () =>
      undefined);
  });
} else {
  describe('two runners on one projection (PostgreSQL)', () => {
    const schema = `proj_two_${randomBytes(5).toString('hex')}`;
    let a: PgSqlClient;
    let b: PgSqlClient;
    const store = new InMemoryEventStore();

    beforeAll(async () => {
      // Two clients, two pools: as two worker processes would be.
      a = await PgSqlClient.connect(url, { schema, max: 4 });
      b = await PgSqlClient.connect(url, { schema, max: 4 });
    });
    afterAll(async () => {
      await store.close();
      await b.close();
      await a.dropSchema();
      await a.close();
    });

    const append = async (n: number, from: number): Promise<string> => {
      let last = '';
      for (let i = 0; i < n; i++) {
        const r = await store.appendToStream(
          `other-${(from + i) % 7}`,
          [{ type: 'Tick', data: { i: from + i }, metadata: meta({ id: 'test', role: 'system' }) }],
          { expectedVersion: 'any' },
        );
        last = r.lastPosition;
      }
      return last;
    };

    it('never applies an event twice, and the second runner takes over when the first stops', async () => {
      const options = { batchSize: 7, batchWindowMs: 1, pollIntervalMs: 10, lockRetryMs: 20 };
      const ra = new ProjectionRunner(a, store, [createCountingProjection()], options);
      const rb = new ProjectionRunner(b, store, [createCountingProjection()], options);
      await Promise.all([ra.migrate(), rb.migrate()]);
      ra.start();
      rb.start();
      const writing = (async () => {
        for (let k = 0; k < 10; k++) {
          await append(30, k * 30);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      await writing;
      const head = (await store.headPosition())!;
      expect(await ra.waitForPosition(head, 10_000)).toBe(true);
      const states = [(await ra.status())[0]!.state, (await rb.status())[0]!.state].sort();
      expect(states).toEqual(['running', 'waiting-lock']);
      expect(await countStats(a)).toEqual({ rows: 300, total: 300, max: 1 });

      // The owner stops (deploy, crash): the other one takes the lock and carries on.
      const owner = (await ra.status())[0]!.state === 'running' ? ra : rb;
      const other = owner === ra ? rb : ra;
      await owner.stop();
      const last = await append(50, 300);
      expect(await other.waitForPosition(last, 10_000)).toBe(true);
      expect((await other.status())[0]!.state).toBe('running');
      await other.stop();
      expect(await countStats(a)).toEqual({ rows: 350, total: 350, max: 1 });
    });
  });
}
