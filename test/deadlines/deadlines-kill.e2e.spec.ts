import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { dossierStreamId } from '@segur/domain';
import { loadConfig, type Infrastructure } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { CommandPipeline } from '@segur/commands';
import { PgSqlClient } from '@segur/event-store';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { waitFor } from './support/deadline-harness';
import type { HangPoint } from './support/worker.child';

// A real crash: the worker runs in its own process and is SIGKILLed in the middle of a batch of due
// deadlines, so no stop hook, no finally, no rollback by the worker runs: PostgreSQL rolls the
// batch's transaction back when the connection dies. Two processes need PostgreSQL.
const url = process.env.TEST_DATABASE_URL;
const describeOnPostgres = url ? describe : describe.skip;

const DOSSIERS = 30;
const LEASE = 'PT2S';

describeOnPostgres('worker tué (SIGKILL) pendant que des échéances sont dues', () => {
  const schema = `e2e_deadlines_kill_${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'segur-kill-'));
  const children = new Set<ChildProcess>();
  let admin: PgSqlClient;
  let infra: Infrastructure;

  const env = (): NodeJS.ProcessEnv => {
    const { REDIS_URL: _ignored, ...rest } = process.env;
    return {
      ...rest,
      DATABASE_URL: url,
      KILL_TEST_SCHEMA: schema,
      EVENT_STORE: 'postgres',
      DATA_DIR: dataDir,
      JWT_SECRET: 'test-secret-with-at-least-32-characters!!',
      WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
      LOG_LEVEL: 'silent',
      DEADLINES_LEASE: LEASE,
      DEADLINES_RECONCILE_INTERVAL: 'PT0.5S',
    };
  };

  /** `apps/worker` in a child process; resolves once it runs, or once it hangs at `hangAt`. */
  const startWorker = async (hangAt?: HangPoint): Promise<ChildProcess> => {
    const child = fork(
      join(__dirname, 'support', 'run-ts.js'),
      [join(__dirname, 'support', 'worker.child.ts')],
      {
        env: { ...env(), ...(hangAt ? { HANG_AT: hangAt } : {}) },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    await new Promise<void>((resolve, reject) => {
      child.on('message', (m: { ready?: boolean; hung?: HangPoint }) => {
        if (hangAt ? m.hung === hangAt : m.ready) resolve();
      });
      child.once('exit', (code, signal) => reject(new Error(`worker arrêté trop tôt (${code ?? signal})`)));
    });
    child.removeAllListeners('message');
    return child;
  };

  const kill = async (child: ChildProcess): Promise<void> => {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  };

  const reminders = async (): Promise<Array<{ status: string; attempts: number }>> =>
    (
      await admin.query<{ status: string; attempts: number }>(
        `SELECT status, attempts FROM deadlines WHERE kind = 'REMINDER'`,
      )
    ).rows;

  const remindersSent = async (): Promise<Map<string, number>> => {
    const r = await admin.query<{ stream_id: string; n: string }>(
      `SELECT stream_id, count(*) AS n FROM es_events WHERE event_type = 'ModificationReminderSent' GROUP BY stream_id`,
    );
    return new Map(r.rows.map((row) => [row.stream_id, Number(row.n)]));
  };

  beforeAll(async () => {
    admin = await PgSqlClient.connect(url as string, { schema, max: 4 });
    // The rounds are opened by this process; the deadlines rows are the worker's projection's work.
    infra = await openEngine(loadConfig(env()), {
      sql: await PgSqlClient.connect(url as string, { schema, max: 4 }),
    });
  });

  afterAll(async () => {
    for (const child of children) await kill(child);
    await infra?.close();
    await infra?.sql.close();
    await admin?.dropSchema();
    await admin?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('les échéances réservées par le worker tué partent au redémarrage, une seule fois chacune', async () => {
    const numeros = Array.from({ length: DOSSIERS }, (_, i) => `FINSAS${String(700_000 + i)}`);
    for (const numeroAsp of numeros) {
      await seedSoldeEnCours(infra, { numeroAsp });
      await new CommandPipeline(infra).execute(
        {
          type: 'RequestModification',
          data: { numeroAsp, commentaire: 'merci de corriger', reminderAfter: 'PT1S', expiryAfter: 'PT1H' },
          actor: { id: 'gestionnaire-asp-1', role: 'gestionnaire' },
          at: new Date().toISOString(),
        },
        { commandId: uuidv7(), correlationId: uuidv7(), causationId: null },
      );
    }

    // 1. Killed holding its first batch: rows locked by the claim's transaction, nothing decided.
    //    The transaction dies with the connection: rows PENDING, not even an attempt counted.
    await kill(await startWorker('claimed'));
    expect(await reminders()).toEqual(
      Array.from({ length: DOSSIERS }, () => expect.objectContaining({ status: 'PENDING', attempts: 0 })),
    );
    expect((await remindersSent()).size).toBe(0);

    // 2. The next worker claims them at once (no lease to wait out) and is killed after its append,
    //    before the command log, the marks and the commit: nothing of the batch happened.
    await kill(await startWorker('appended'));
    expect(await reminders()).toEqual(
      Array.from({ length: DOSSIERS }, () => expect.objectContaining({ status: 'PENDING', attempts: 0 })),
    );
    expect((await remindersSent()).size).toBe(0);

    // 3. A worker that hangs inside its transaction without dying keeps its rows no longer than the
    //    lease: PostgreSQL ends its silent session. A worker that lives then fires everything once.
    await startWorker('claimed');
    const survivor = await startWorker();
    await waitFor(
      'toutes les relances déclenchées',
      async () => (await reminders()).filter((r) => r.status === 'FIRED').length === DOSSIERS,
      25_000,
    );
    const sent = await remindersSent();
    expect(numeros.map((n) => sent.get(dossierStreamId(n)) ?? 0)).toEqual(numeros.map(() => 1));
    // J+20 is an hour away: the crash made nothing else fire.
    const expiries = await admin.query<{ status: string }>(
      `SELECT status FROM deadlines WHERE kind = 'EXPIRY'`,
    );
    expect(expiries.rows.map((r) => r.status)).toEqual(numeros.map(() => 'PENDING'));

    const stopped = new Promise<number | null>((resolve) => survivor.once('exit', (code) => resolve(code)));
    survivor.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});
