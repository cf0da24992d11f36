import { itWithPostgres, type SqlClient } from '@segur/event-store';
import type { Deadline } from './deadline';
import { fireDueBatch } from './deadline-batch-firing';
import type { BatchContext, DeadlineBatchFirer, FireOutcome } from './scheduler.port';
import { insertReminderRows } from './testing/deadline-fixtures';
import { sharedTestSql } from './testing/shared-test-sql';

// A transactional batch firer works inside the claim's transaction (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set): its writes, the rows' marks and the claim commit together or not at all.
describe('fireDueBatch avec un déclencheur transactionnel', () => {
  const db = sharedTestSql('batchtx');
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await db.get();
    await sql.query('CREATE TABLE IF NOT EXISTS fired_side (job_id text PRIMARY KEY)');
  });
  afterAll(() => db.teardown());

  /** `count` due REMINDER rows (due a second ago by the database clock); their job ids. */
  const dueRows = (count: number): Promise<string[]> => insertReminderRows(sql, count, '-1 second');

  const rows = async (ids: string[]) =>
    (
      await sql.query<{ job_id: string; status: string; attempts: number; backing_off: boolean }>(
        `SELECT job_id, status, attempts, coalesce(not_before > now(), false) AS backing_off
           FROM deadlines WHERE job_id = ANY($1::text[]) ORDER BY job_id`,
        [ids],
      )
    ).rows;

  const sideRows = async (ids: string[]): Promise<string[]> =>
    (
      await sql.query<{ job_id: string }>(
        'SELECT job_id FROM fired_side WHERE job_id = ANY($1::text[]) ORDER BY job_id',
        [ids],
      )
    ).rows.map((r) => r.job_id);

  /** Writes one side row per deadline in the claim's transaction, then answers `outcome` or throws. */
  const sideWritingFirer = (
    outcome: (d: Deadline) => FireOutcome | 'throw',
    seen: BatchContext[] = [],
  ): DeadlineBatchFirer =>
    Object.assign(
      async (deadlines: readonly Deadline[], context?: BatchContext) => {
        if (!context?.transaction) throw new Error('pas de transaction');
        seen.push(context);
        for (const d of deadlines)
          await context.transaction.query('INSERT INTO fired_side (job_id) VALUES ($1)', [d.jobId]);
        if (deadlines.some((d) => outcome(d) === 'throw')) throw new Error('panne du déclencheur');
        return new Map(deadlines.map((d) => [d.jobId, outcome(d) as FireOutcome]));
      },
      { transactional: true },
    );

  test('les écritures du déclencheur et les marques sont validées ensemble ; une tentative comptée', async () => {
    const ids = await dueRows(3);
    let committed = 0;
    const seen: BatchContext[] = [];
    const firer = sideWritingFirer((d) => (d.jobId === ids[2] ? 'noop' : 'fired'), seen);
    const wrapped: DeadlineBatchFirer = Object.assign(
      async (deadlines: readonly Deadline[], context?: BatchContext) => {
        context?.afterCommit?.(() => (committed += 1));
        return firer(deadlines, context);
      },
      { transactional: true },
    );
    const report = await fireDueBatch(sql, { batchFirer: wrapped, limit: 100 });
    expect(report.claimed).toBeGreaterThanOrEqual(3);
    expect(ids.map((id) => report.outcomes.get(id))).toEqual(['fired', 'fired', 'noop']);
    expect(await rows(ids)).toEqual([
      { job_id: ids[0], status: 'FIRED', attempts: 1, backing_off: false },
      { job_id: ids[1], status: 'FIRED', attempts: 1, backing_off: false },
      { job_id: ids[2], status: 'CANCELLED', attempts: 1, backing_off: false },
    ]);
    expect(await sideRows(ids)).toEqual([...ids].sort());
    expect(committed).toBe(1);
    // Decided at the claim's database clock.
    expect(Date.parse(seen[0]?.claimedAt ?? '')).not.toBeNaN();
    // Nothing left to claim: a second call finds none of them.
    const again = await fireDueBatch(sql, { batchFirer: firer, limit: 100 });
    expect(ids.some((id) => again.outcomes.has(id))).toBe(false);
  });

  test('un déclencheur qui échoue : rien de ses écritures, lignes PENDING en attente de nouvel essai', async () => {
    const ids = await dueRows(2);
    let committed = 0;
    const failing: DeadlineBatchFirer = Object.assign(
      async (deadlines: readonly Deadline[], context?: BatchContext) => {
        context?.afterCommit?.(() => (committed += 1));
        return sideWritingFirer(() => 'throw')(deadlines, context);
      },
      { transactional: true },
    );
    const report = await fireDueBatch(sql, { batchFirer: failing, limit: 100 });
    expect(ids.map((id) => report.outcomes.get(id))).toEqual(['retry', 'retry']);
    expect(report.errors.get(ids[0] as string)).toContain('panne du déclencheur');
    expect(await rows(ids)).toEqual(
      ids.map((job_id) => ({ job_id, status: 'PENDING', attempts: 1, backing_off: true })),
    );
    expect(await sideRows(ids)).toEqual([]);
    expect(committed).toBe(0);
  });

  test('un « retry » du déclencheur : ses écritures restent, la ligne attend son nouvel essai', async () => {
    const ids = await dueRows(1);
    const report = await fireDueBatch(sql, { batchFirer: sideWritingFirer(() => 'retry'), limit: 100 });
    expect(report.outcomes.get(ids[0] as string)).toBe('retry');
    expect(await rows(ids)).toEqual([{ job_id: ids[0], status: 'PENDING', attempts: 1, backing_off: true }]);
  });

  itWithPostgres('deux lots concurrents ne réservent jamais la même ligne', async () => {
    const ids = await dueRows(40);
    const claimedBy: string[][] = [[], []];
    const slow = (lane: number): DeadlineBatchFirer =>
      Object.assign(
        async (deadlines: readonly Deadline[]) => {
          claimedBy[lane]?.push(...deadlines.map((d) => d.jobId));
          await new Promise((r) => setTimeout(r, 200));
          return new Map(deadlines.map((d): [string, FireOutcome] => [d.jobId, 'fired']));
        },
        { transactional: true },
      );
    await Promise.all([
      fireDueBatch(sql, { batchFirer: slow(0), limit: 25 }),
      fireDueBatch(sql, { batchFirer: slow(1), limit: 25 }),
    ]);
    const [a, b] = claimedBy.map((l) => new Set(l.filter((id) => ids.includes(id))));
    expect([...(a as Set<string>)].filter((id) => b?.has(id))).toEqual([]);
    expect((a?.size ?? 0) + (b?.size ?? 0)).toBe(40);
  });
});
