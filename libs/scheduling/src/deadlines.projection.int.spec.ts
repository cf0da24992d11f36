import type {
  ModificationDeclined,
  ModificationExpired,
  ModificationReminderSent,
  ModificationRequested,
} from '@segur/domain';
import { createTestSqlClient, type RecordedEvent, type TestSqlClient } from '@segur/event-store';
import type { Deadline } from './deadline';
import { toDeadlineRow } from './deadline';
import { deadlineStats, listDeadlines } from './deadline-stats';
import { DeadlinesProjection } from './deadlines.projection';
import type { Scheduler } from './scheduler.port';
import { recorded } from './testing/deadline-fixtures';

describe('projection deadlines (gestionnaire des échéances J+10 / J+20)', () => {
  let db: TestSqlClient;
  const scheduled: Deadline[] = [];
  const cancelled: string[] = [];
  const scheduler: Scheduler = {
    schedule: async (d) => void scheduled.push(d),
    cancel: async (id) => void cancelled.push(id),
    start: async () => undefined,
    stop: async () => undefined,
  };
  const projection = new DeadlinesProjection(scheduler);

  beforeAll(async () => {
    db = await createTestSqlClient('deadl');
    for (const ddl of projection.migrations) await db.client.query(ddl);
  });
  afterAll(() => db.teardown());
  beforeEach(() => {
    scheduled.length = 0;
    cancelled.length = 0;
  });

  const apply = async (...events: RecordedEvent[]): Promise<void> => {
    await db.client.transaction(async (tx) => {
      for (const e of events) await projection.apply(tx, e);
    });
    await projection.afterCommit(events);
  };
  const requested = (numeroAsp: string, version: string): RecordedEvent =>
    recorded<ModificationRequested>('ModificationRequested', {
      numeroAsp,
      version,
      round: Number(version.slice(1)),
      commentaire: 'test modif',
      gestionnaireId: 'g1',
      requestedAt: '2023-08-07T08:00:00.000Z',
      reminderDueAt: '2023-08-17T08:00:00.000Z',
      expiresAt: '2023-08-27T08:00:00.000Z',
    });
  const rows = async (numeroAsp: string) =>
    (
      await db.client.query(`SELECT * FROM deadlines WHERE numero_asp = $1 ORDER BY version, kind`, [
        numeroAsp,
      ])
    ).rows.map(toDeadlineRow);

  test('une demande de modification crée la relance et l’expiration, ids sans « : », idempotent', async () => {
    const e = requested('FINSAS008539', 'M1');
    await apply(e);
    await apply(e);
    const r = await rows('FINSAS008539');
    expect(r.map((x) => [x.jobId, x.kind, x.dueAt, x.status])).toEqual([
      ['expiry-FINSAS008539-M1', 'EXPIRY', '2023-08-27T08:00:00.000Z', 'PENDING'],
      ['reminder-FINSAS008539-M1', 'REMINDER', '2023-08-17T08:00:00.000Z', 'PENDING'],
    ]);
    expect(r.every((x) => !x.jobId.includes(':'))).toBe(true);
    expect(scheduled.map((d) => d.jobId)).toEqual([
      'reminder-FINSAS008539-M1',
      'expiry-FINSAS008539-M1',
      'reminder-FINSAS008539-M1',
      'expiry-FINSAS008539-M1',
    ]);
  });

  test('relance envoyée puis expiration : FIRED, et l’expiration clôt le tour', async () => {
    await apply(requested('FINPHA004979', 'M1'));
    await apply(
      recorded<ModificationReminderSent>('ModificationReminderSent', {
        numeroAsp: 'FINPHA004979',
        version: 'M1',
        sentAt: '2023-08-17T08:00:01.000Z',
      }),
    );
    const expired = recorded<ModificationExpired>('ModificationExpired', {
      numeroAsp: 'FINPHA004979',
      version: 'M1',
      expiredAt: '2023-08-27T08:00:02.000Z',
    });
    await apply(expired, expired);
    const [expiry, reminder] = await rows('FINPHA004979');
    expect(reminder).toMatchObject({ status: 'FIRED', firedAt: '2023-08-17T08:00:01.000Z' });
    expect(expiry).toMatchObject({ status: 'FIRED', firedAt: '2023-08-27T08:00:02.000Z' });
    expect(cancelled).toContain('expiry-FINPHA004979-M1');
  });

  test('refus de modifier : annule les échéances en attente ; un tour ouvert et clos dans le même lot n’est pas programmé', async () => {
    const declined = (numeroAsp: string, version: string) =>
      recorded<ModificationDeclined>('ModificationDeclined', {
        numeroAsp,
        version,
        declinedBy: 'assistance',
        declinedAt: '2023-08-08T08:00:00.000Z',
      });
    await apply(
      requested('FINMSS009266', 'M1'),
      declined('FINMSS009266', 'M1'),
      requested('FINMSS009266', 'M2'),
    );
    const r = await rows('FINMSS009266');
    expect(r.map((x) => `${x.version}:${x.kind}:${x.status}`)).toEqual([
      'M1:EXPIRY:CANCELLED',
      'M1:REMINDER:CANCELLED',
      'M2:EXPIRY:PENDING',
      'M2:REMINDER:PENDING',
    ]);
    expect(scheduled.map((d) => d.jobId)).toEqual(['reminder-FINMSS009266-M2', 'expiry-FINMSS009266-M2']);
    expect(cancelled).toEqual(['reminder-FINMSS009266-M1', 'expiry-FINMSS009266-M1']);
  });

  test('statistiques et liste des échéances en retard', async () => {
    const stats = await deadlineStats(db.client);
    expect(stats.fired).toBe(2);
    expect(stats.cancelled).toBe(2);
    // 2023 due dates are long past: every pending row is overdue.
    expect(stats.overdue).toBe(stats.pending);
    expect(stats.latenessMs.p50).toBe(1500);
    const overdue = await listDeadlines(db.client, { overdue: true });
    expect(overdue.length).toBe(stats.pending);
    expect((await listDeadlines(db.client, { status: 'FIRED', numeroAsp: 'FINPHA004979' })).length).toBe(2);
  });

  test('une mise à jour du minuteur qui échoue n’interrompt pas la projection', async () => {
    const failing = new DeadlinesProjection({
      ...scheduler,
      schedule: async () => Promise.reject(new Error('Redis indisponible')),
    });
    await expect(failing.afterCommit([requested('FINSAS000001', 'M1')])).resolves.toBeUndefined();
  });
});
