import { DEFAULT_COULOIRS, createDossierDecider, type CouloirsConfig } from '@segur/domain';
import {
  PostgresEventStore,
  createTestSqlClient,
  migrateEventStore,
  type TestSqlClient,
} from '@segur/event-store';
import { silentLogger } from '@segur/kernel';
import { POULAT } from '../../../domain/src/testing/seed-fixtures';
import { COMMAND_LOG_MIGRATIONS } from '../log/command-log';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { replayCommands } from './replay-commands';
import type { RedecidedCommand } from './redecide-stream';
import { replayWindowOf } from './replay-window';
import { EARLY_SAS, LATE_SAS, runSeedHistory } from '../testing/seed-history.fixture';

// The replay re-decides the recorded history under a candidate configuration, on the real store
// and command log (PGlite here, PostgreSQL when TEST_DATABASE_URL is set), writing nothing.
describe('replayCommands', () => {
  let db: TestSqlClient;
  let store: PostgresEventStore;
  let recorded: number;

  beforeAll(async () => {
    db = await createTestSqlClient('replay');
    await migrateEventStore(db.client);
    for (const statement of COMMAND_LOG_MIGRATIONS) await db.client.query(statement);
    store = new PostgresEventStore(db.client);
    const pipeline = new CommandPipeline({
      store,
      sql: db.client,
      decider: createDossierDecider(DEFAULT_COULOIRS),
      logger: silentLogger,
    });
    recorded = await runSeedHistory(pipeline);
  });
  afterAll(async () => {
    await store.close();
    await db.teardown();
  });

  const replay = async (couloirs: CouloirsConfig, window = {}, pageSize = 2) => {
    const differing: RedecidedCommand[] = [];
    const summary = await replayCommands({
      sql: db.client,
      store,
      decider: createDossierDecider(couloirs),
      window,
      pageSize,
      onResult: (r) => void differing.push(r),
    });
    return { summary, differing };
  };
  const snapshot = async (): Promise<string> =>
    JSON.stringify(
      (
        await db.client.query(
          `SELECT (SELECT count(*) FROM command_log) AS log, (SELECT count(*) FROM es_events) AS events`,
        )
      ).rows,
    );

  it('under the live configuration, every recorded decision of the seed history is decided the same', async () => {
    const { summary, differing } = await replay(DEFAULT_COULOIRS);
    expect(summary.redecided).toBe(recorded);
    expect(summary.skipped).toEqual({});
    expect(differing).toEqual([]);
    expect(summary.differing).toBe(0);
    // Every path and outcome was there to compare: imports (both forms), timers, emails, refusals.
    expect(Object.keys(summary.byType).sort()).toEqual(
      [
        'ImportAvance',
        'ImportSolde',
        'RecordAvancePayment',
        'RecordEmailSent',
        'RecordSoldePayment',
        'RequestModification',
        'EditModificationDraft',
        'SendModificationReminder',
        'SubmitModification',
        'ValidateSolde',
      ].sort(),
    );
  });

  it('with the SAS closing date moved earlier, lists exactly the SAS soldes imported after it, and writes nothing', async () => {
    const before = await snapshot();
    const earlier: CouloirsConfig = {
      ...DEFAULT_COULOIRS,
      SAS: { ...DEFAULT_COULOIRS.SAS!, clotureSolde: '2023-02-01' },
    };

    const { summary, differing } = await replay(earlier);

    const listed = differing.map((r) =>
      r.kind === 'redecided' ? [r.numeroAsp, r.entry.type, r.difference, r.after] : r,
    );
    expect(listed.sort()).toEqual(
      [
        [LATE_SAS, 'ImportSolde', 'accepte-vers-refuse', { kind: 'refused', code: 'DATE_CLOTURE_DEPASSEE' }],
        [
          POULAT.numeroAsp,
          'ImportSolde',
          'accepte-vers-refuse',
          { kind: 'refused', code: 'DATE_CLOTURE_DEPASSEE' },
        ],
      ].sort(),
    );
    expect(summary.differing).toBe(2);
    expect(summary.byCouloir.SAS?.differing).toBe(2);
    expect(summary.byCouloir.PHA?.differing).toBe(0);
    expect(summary.byType.ImportSolde?.differing).toBe(2);
    expect(summary.byDifference).toEqual({ 'accepte-vers-refuse': 2 });
    // The early SAS solde was re-decided, the same.
    expect(differing.some((r) => r.numeroAsp === EARLY_SAS)).toBe(false);
    expect(await snapshot()).toBe(before);
  });

  it('re-decides only the commands decided in the window', async () => {
    const earlier: CouloirsConfig = {
      ...DEFAULT_COULOIRS,
      SAS: { ...DEFAULT_COULOIRS.SAS!, clotureSolde: '2023-02-01' },
    };
    const { summary, differing } = await replay(earlier, replayWindowOf('2023-03-01', '2023-03-05'));
    expect(differing.map((r) => r.numeroAsp)).toEqual([LATE_SAS]);
    // The late solde and the no-op resend in its chunk.
    expect(summary.redecided).toBe(2);
  });

  it('a decision whose instant was not logged (an entry from before) is counted as not re-decidable', async () => {
    const id = (await db.client.query<{ id: string }>(`SELECT id FROM command_log ORDER BY id LIMIT 1`))
      .rows[0]!.id;
    const at = (
      await db.client.query<{ decided_at: string }>(`SELECT decided_at FROM command_log WHERE id = $1`, [id])
    ).rows[0]!.decided_at;
    await db.client.query(`UPDATE command_log SET decided_at = NULL WHERE id = $1`, [id]);
    try {
      const { summary } = await replay(DEFAULT_COULOIRS);
      expect(summary.skipped).toEqual({ 'instant non journalisé': 1 });
      expect(summary.redecided).toBe(recorded - 1);
    } finally {
      await db.client.query(`UPDATE command_log SET decided_at = $2 WHERE id = $1`, [id, at]);
    }
  });
});
