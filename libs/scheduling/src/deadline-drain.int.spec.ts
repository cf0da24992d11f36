import type { SqlClient } from '@segur/event-store';
import type { Deadline } from './deadline';
import { DeadlineDrain } from './deadline-drain';
import type { DeadlineBatchFirer, FireOutcome } from './scheduler.port';
import { insertReminderRows } from './testing/deadline-fixtures';
import { sharedTestSql } from './testing/shared-test-sql';

describe('DeadlineDrain', () => {
  const db = sharedTestSql('drain');
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await db.get();
  });
  afterAll(() => db.teardown());
  afterEach(() => sql.query('DELETE FROM deadlines'));

  const insertRows = (count: number, dueIn: string) => insertReminderRows(sql, count, dueIn);

  /** Answers `outcome` for each row and counts its calls and rows; `gate` holds a call open. */
  const countingFirer = (outcome: (d: Deadline) => FireOutcome, gate?: Promise<void>) => {
    const calls: number[] = [];
    const firer: DeadlineBatchFirer = Object.assign(
      async (deadlines: readonly Deadline[]) => {
        calls.push(deadlines.length);
        await gate;
        return new Map(deadlines.map((d) => [d.jobId, outcome(d)]));
      },
      { transactional: true },
    );
    return { firer, calls };
  };

  const drainOf = (batchFirer: DeadlineBatchFirer, remember = 1_000) =>
    new DeadlineDrain({ sql, batchFirer, batchSize: 4, concurrency: 3, isRunning: () => true, remember });

  test('fires every due row batch by batch, each once, and tells each job its outcome once', async () => {
    const ids = await insertRows(10, '-1 second');
    const { firer, calls } = countingFirer((d) => (d.jobId === ids[3] ? 'noop' : 'fired'));
    const drain = drainOf(firer);
    await drain.drain();
    expect(calls.reduce((a, b) => a + b, 0)).toBe(10);
    expect(await drain.settle(ids[0] as string)).toEqual({ outcome: 'fired', error: undefined });
    expect(await drain.settle(ids[3] as string)).toEqual({ outcome: 'noop', error: undefined });
    // Taken once: a replayed job reads its row instead.
    expect(await drain.settle(ids[0] as string)).toBeUndefined();
    const pending = await sql.query(`SELECT 1 FROM deadlines WHERE status = 'PENDING'`);
    expect(pending.rows).toHaveLength(0);
  });

  test('a job that wakes during a drain waits for it; calls meanwhile share one follow-up drain', async () => {
    const ids = await insertRows(3, '-1 second');
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { firer, calls } = countingFirer(() => 'fired', gate);
    const drain = drainOf(firer);
    const first = drain.drain();
    const settling = ids.map((id) => drain.settle(id));
    const followUps = [drain.drain(), drain.drain()];
    open();
    await first;
    expect(await Promise.all(settling)).toEqual(ids.map(() => ({ outcome: 'fired', error: undefined })));
    await Promise.all(followUps);
    // The first drain's claim, then one follow-up finding nothing left: no firer call for it.
    expect(calls).toEqual([3]);
  });

  test('a row not due by the database clock is left to its job: no outcome', async () => {
    const [id] = await insertRows(1, '1 hour');
    const { firer, calls } = countingFirer(() => 'fired');
    expect(await drainOf(firer).settle(id as string)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  test('keeps at most `remember` outcomes, forgetting the oldest', async () => {
    const ids = await insertRows(6, '-1 second');
    const { firer } = countingFirer(() => 'fired');
    const drain = drainOf(firer, 2);
    await drain.drain();
    const known = await Promise.all(ids.map((id) => drain.settle(id)));
    expect(known.filter((s) => s !== undefined)).toHaveLength(2);
  });
});
