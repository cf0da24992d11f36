import { seededRandom } from '@segur/kernel';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { JwtVerifier, type ApiRole } from '@segur/auth';
import { dossierStreamId } from '@segur/domain';
import { PgSqlClient, PostgresEventStore } from '@segur/event-store';
import { openEngine } from '@segur/engine';
import { loadConfig } from '@segur/platform';
import { createReadModelProjections, rebuildProjections } from '@segur/projections';
import { dumpTables } from '../../libs/projections/src/testing/dump';
import { OFFICINE, enrolment } from '../imports/support/import-fixtures';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { createDatabase, eventually, terminateBackends } from '../system/support/app-process';
import { Fleet, type Member } from './support/fleet';
import { importLoop, send, type Tally } from './support/load';

// Faults production will bring, injected into the real server-mode processes (2 api + 2 workers on
// a database and a BullMQ prefix of their own) under a bounded load of imports, modification
// rounds and deadlines falling due during the run. The moments come from a logged seed
// (FAULT_SEED=<n> replays the same schedule). Afterwards nothing accepted is lost or doubled, every
// read model equals a clean rebuild, every due deadline fired once, every email is recorded once,
// and no process died but those killed on purpose.
const baseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const describeWithServers = baseUrl && redisUrl ? describe : describe.skip;
if (!baseUrl || !redisUrl)
  process.stderr.write(
    '\n[IGNORÉ] faults.e2e : TEST_DATABASE_URL et TEST_REDIS_URL sont nécessaires (processus réels sur PostgreSQL et Redis).\n',
  );

jest.setTimeout(600_000);

const JWT_SECRET = 'test-secret-with-at-least-32-characters!!';
const LOAD_MS = Number(process.env.FAULT_LOAD_MS ?? 40_000);
const ROUNDS = 8;
const roundNumero = (i: number): string => `FINSAS${String(960_000 + i)}`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
type FaultKind = 'kill-9 worker' | 'SIGTERM api' | 'pg_terminate_backend' | 'redis CLIENT KILL';

describeWithServers('pannes injectées (2 api + 2 workers, PostgreSQL et Redis réels)', () => {
  const seed = Number(process.env.FAULT_SEED ?? randomBytes(4).readUInt32BE(0));
  const random = seededRandom(seed);
  const prefix = `faults${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'segur-faults-'));
  const verifier = new JwtVerifier({ secret: JWT_SECRET, jwksUrl: null });
  const token = (role: ApiRole, siret?: string): string =>
    verifier.sign({ sub: `${role}-${siret ?? 'bo'}`, role, ...(siret ? { siret } : {}) });
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let fleet: Fleet;
  let sql: PgSqlClient;
  let redis: Redis;

  const env = (url: string): Record<string, string> => ({
    DATABASE_URL: url,
    REDIS_URL: redisUrl as string,
    BULLMQ_PREFIX: prefix,
    EVENT_STORE: 'postgres',
    // The load is the point here, not the per-principal rate limits (tested on their own).
    RATE_LIMIT_IMPORTS: '1000000',
    RATE_LIMIT_COMMANDS: '1000000',
    RATE_LIMIT_WEBHOOKS: '1000000',
    DATA_DIR: dataDir,
    JWT_SECRET,
    WEBHOOK_SECRET_KEY: '3c'.repeat(32),
    LOG_LEVEL: 'info',
    MODIFICATION_REMINDER_AFTER: 'PT4S',
    MODIFICATION_EXPIRY_AFTER: 'PT8S',
    DEADLINES_LEASE: 'PT2S',
    DEADLINES_RECONCILE_INTERVAL: 'PT1S',
    DEADLINES_RECONCILE_GRACE: 'PT2S',
    IDEMPOTENCY_LEASE: 'PT2S',
    SHUTDOWN_TIMEOUT_MS: '20000',
  });

  beforeAll(async () => {
    process.stderr.write(
      `\nfaults: FAULT_SEED=${seed} (rejouer : FAULT_SEED=${seed} npm run jest -- test/faults)\n`,
    );
    db = await createDatabase(baseUrl as string, 'segur_faults');
    sql = await PgSqlClient.connect(db.url, { max: 4 });
    redis = new Redis(redisUrl as string, { maxRetriesPerRequest: 1 });
    // The dossiers of the modification rounds, seeded as the deadlines tests do (solde EN_COURS).
    const { REDIS_URL: _r, ...seedEnv } = env(db.url);
    const infra = await openEngine(loadConfig(seedEnv), {
      sql: await PgSqlClient.connect(db.url, { max: 2 }),
    });
    for (let i = 0; i < ROUNDS; i++) await seedSoldeEnCours(infra, { numeroAsp: roundNumero(i) });
    await infra.close();
    await infra.sql.close();
    fleet = new Fleet(env(db.url));
    await fleet.start('api');
    await Promise.all([fleet.start('api'), fleet.start('worker'), fleet.start('worker')]);
  });

  afterAll(async () => {
    await fleet?.stopAll();
    await sql?.close();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const count = async (text: string, params: unknown[] = []): Promise<number> =>
    Number((await sql.query<{ n: string }>(text, params)).rows[0]?.n ?? 0);

  const inject = async (kind: FaultKind): Promise<void> => {
    switch (kind) {
      case 'kill-9 worker': {
        const victim = fleet.workers()[Math.floor(random() * fleet.workers().length)] as Member;
        await fleet.kill(victim, 'SIGKILL');
        await fleet.start('worker');
        return;
      }
      case 'SIGTERM api': {
        const victim = fleet.apis()[Math.floor(random() * fleet.apis().length)] as Member;
        const { code } = await fleet.kill(victim, 'SIGTERM');
        if (code !== 0)
          fleet.unexpected.push(`${victim.name} : SIGTERM → code ${code}\n${victim.output().slice(-4000)}`);
        await fleet.start('api');
        return;
      }
      case 'pg_terminate_backend':
        process.stderr.write(
          `faults: pg_terminate_backend → ${await terminateBackends(baseUrl as string, db.name)} sessions\n`,
        );
        return;
      case 'redis CLIENT KILL': {
        // BullMQ names its connections `<prefix>:…`: only this run's clients are cut.
        const list = (await redis.client('LIST')) as string;
        let killed = 0;
        for (const line of list.split('\n')) {
          const id = /\bid=(\d+)/.exec(line)?.[1];
          const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
          if (id && name.startsWith(`${prefix}:`))
            killed += Number(await redis.client('KILL', 'ID', id).catch(() => 0));
        }
        process.stderr.write(`faults: redis CLIENT KILL → ${killed} clients\n`);
        return;
      }
    }
  };

  it('rien de perdu ni de doublé, read models = rebuild, échéances et courriels une fois', async () => {
    const tally: Tally = { accepted: 0, refused: 0, retried: 0, avances: [], rounds: [] };
    const api = fleet.apis()[0] as Member;
    // The avances' officine, and the garage of the seeded rounds (the emails' recipient).
    for (const who of [OFFICINE, GARAGE_POULAT]) {
      const put = await fetch(`${api.base as string}/api/v1/fournisseurs/${who.siret}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token('assistance')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(enrolment(who.numeroAns)),
      });
      expect(put.status).toBeLessThan(300);
    }

    const start = Date.now();
    const until = start + LOAD_MS;
    const kinds: FaultKind[] = ['kill-9 worker', 'SIGTERM api', 'pg_terminate_backend', 'redis CLIENT KILL'];
    const schedule = kinds
      .map((kind) => ({ kind, at: Math.floor(LOAD_MS * (0.1 + 0.7 * random())) }))
      .sort((a, b) => a.at - b.at);
    const roundsAt = Array.from({ length: ROUNDS }, () => Math.floor(LOAD_MS * 0.6 * random()));
    process.stderr.write(`faults: calendrier ${schedule.map((f) => `${f.kind}@${f.at}ms`).join(', ')}\n`);

    const fournisseur = (): string => token('fournisseur', OFFICINE.siret);
    const loads = [0, 1, 2].map((i) => importLoop(fleet, tally, fournisseur, 5, until, `${seed}-${i}`));
    const rounds = roundsAt.map(async (at, i) => {
      await sleep(at);
      const numeroAsp = roundNumero(i);
      const r = await send(fleet, tally, {
        path: `/api/v1/dossiers/${numeroAsp}/modification`,
        token: () => token('gestionnaire'),
        body: { commentaire: 'merci de corriger le contact support' },
        key: `faults-round-${seed}-${i}`,
      });
      if (r.status < 300) tally.rounds.push(numeroAsp);
    });
    const faults = (async () => {
      for (const f of schedule) {
        await sleep(Math.max(0, start + f.at - Date.now()));
        await inject(f.kind);
      }
    })();
    await Promise.all([...loads, ...rounds, faults]);

    // Every round's J+10 and J+20 fall due within seconds: wait for both, and the emails.
    const streams = tally.rounds.map((n) => dossierStreamId(n));
    await eventually(
      'toutes les échéances déclenchées, tous les courriels envoyés et enregistrés',
      async () =>
        (await count(`SELECT count(*) AS n FROM deadlines WHERE status <> 'FIRED'`)) === 0 &&
        (await count(`SELECT count(*) AS n FROM email_outbox WHERE status <> 'SENT'`)) === 0 &&
        (await count(`SELECT count(*) AS n FROM es_events WHERE event_type = 'EmailSent'`)) ===
          (await count(`SELECT count(*) AS n FROM email_outbox`)) &&
        (await count(
          `SELECT count(*) AS n FROM es_events WHERE event_type = 'ModificationExpired' AND stream_id = ANY($1)`,
          [streams],
        )) === streams.length,
      1_200,
      250,
    );
    const store = new PostgresEventStore(sql);
    const projections = createReadModelProjections();
    await eventually(
      'read models à jour',
      async () => {
        const head = await store.headPosition();
        const r = await sql.query<{ position: string | null }>(
          `SELECT position FROM projection_checkpoints WHERE name = ANY($1)`,
          [projections.map((p) => p.name)],
        );
        return r.rows.length === projections.length && r.rows.every((row) => row.position === head);
      },
      600,
      250,
    );
    // The workers leave by SIGTERM, as in a deployment: exit 0 (the shutdown path under load).
    for (const m of [...fleet.workers(), ...fleet.apis()]) {
      const { code } = await fleet.kill(m, 'SIGTERM');
      if (code !== 0)
        fleet.unexpected.push(`${m.name} : SIGTERM final → code ${code}\n${m.output().slice(-4000)}`);
    }

    // Exactly once: each accepted avance line, each accepted round, each deadline, each email.
    const perStream = async (type: string): Promise<Map<string, number>> => {
      const r = await sql.query<{ stream_id: string; n: string }>(
        `SELECT stream_id, count(*) AS n FROM es_events WHERE event_type = $1 GROUP BY stream_id`,
        [type],
      );
      return new Map(r.rows.map((row) => [row.stream_id, Number(row.n)]));
    };
    const imported = await perStream('AvanceImported');
    const expected = new Set(tally.avances.map((n) => dossierStreamId(n)));
    const lost = [...expected].filter((s) => !imported.has(s));
    const duplicated = [...imported].filter(([, n]) => n > 1).map(([s]) => s);
    // The rounds' dossiers were seeded with their avance before the run.
    const seeded = new Set(Array.from({ length: ROUNDS }, (_, i) => dossierStreamId(roundNumero(i))));
    const unasked = [...imported.keys()].filter((s) => !expected.has(s) && !seeded.has(s));
    const requested = await perStream('ModificationRequested');
    const reminders = await perStream('ModificationReminderSent');
    const expired = await perStream('ModificationExpired');
    const onceEach = (m: Map<string, number>): string[] =>
      streams.filter((s) => m.get(s) !== 1).map((s) => `${s}:${m.get(s) ?? 0}`);
    const emailsTwice = await count(
      `SELECT count(*) AS n FROM (SELECT 1 FROM es_events WHERE event_type = 'EmailSent'
         GROUP BY data->>'causationEventId', data->>'template' HAVING count(*) > 1) d`,
    );
    const logMissing = await count(
      `SELECT count(*) AS n FROM es_events e WHERE e.event_type = 'AvanceImported'
         AND NOT EXISTS (SELECT 1 FROM command_log c WHERE c.stream_id = e.stream_id AND c.outcome = 'accepted')`,
    );

    // Read models equal a clean rebuild from the store.
    const tables = projections.flatMap((p) => p.tables);
    const live = await dumpTables(sql, tables);
    await rebuildProjections(sql, store, projections, { fresh: true });
    const rebuilt = await dumpTables(sql, tables);

    process.stderr.write(
      `faults: ${schedule.length} injected, commands ${tally.avances.length + tally.rounds.length} accepted / ` +
        `${tally.refused} refused / ${tally.retried} retried, lost ${lost.length}, duplicated ${duplicated.length}, ` +
        `read models ${live === rebuilt ? '=' : '≠'} rebuild (seed ${seed})\n`,
    );
    expect(fleet.unexpected).toEqual([]);
    expect({ lost, duplicated, unasked }).toEqual({ lost: [], duplicated: [], unasked: [] });
    expect(tally.rounds).toHaveLength(ROUNDS);
    expect({
      requested: onceEach(requested),
      reminders: onceEach(reminders),
      expired: onceEach(expired),
    }).toEqual({
      requested: [],
      reminders: [],
      expired: [],
    });
    expect(emailsTwice).toBe(0);
    expect(logMissing).toBe(0);
    expect(rebuilt).toBe(live);
  });
});
