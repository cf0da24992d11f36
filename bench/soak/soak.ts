import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { JwtVerifier, type ApiRole } from '@segur/auth';
import { openEngine } from '@segur/engine';
import { loadConfig } from '@segur/platform';
import { avanceFile, avanceLine, enrolment, OFFICINE } from '../../test/imports/support/import-fixtures';
import { GARAGE_POULAT, seedSoldeEnCours } from '../../test/support/seed-dossiers';
import { createDatabase, terminateBackends } from '../../test/system/support/app-process';
import { EngineProcess, type Exit } from './engine-process';
import { killEngineRedisClients } from './redis-clients';
import { seededRandom } from '@segur/kernel';
import { faultSeed } from './fault-seed';
import { htmlReport } from './chart';
import { send, type Tally } from './client';
import { projectionLag, queueDepth, rssMiB } from './sampler';

const JWT_SECRET = 'soak-secret-with-at-least-32-characters!!';
const SEEDED = 20;
const SAMPLE_EVERY_MS = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `npm run soak -- --minutes 30 [--out dir] [--fault-every 120]`: two apis and two workers of the
 * server mode under the fault suite's load (imports, modification rounds whose reminders and
 * expiries fall due), a seeded fault every `--fault-every` seconds on average, and every 10 s a
 * sample of each process's RSS and event-loop delay, the projections' lag and BullMQ's queue
 * depth into `<out>/soak.csv`, charted in `<out>/soak.html`. SOAK_DATABASE_URL / SOAK_REDIS_URL
 * (or TEST_DATABASE_URL / TEST_REDIS_URL) name the servers; a database and a BullMQ prefix of its
 * own are created and dropped.
 */
export const main = async (argv: string[]): Promise<number> => {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '30' },
      out: { type: 'string' },
      'fault-every': { type: 'string', default: '120' },
      keep: { type: 'boolean', default: false },
    },
  });
  const minutes = Number(values.minutes);
  const faultEveryS = Number(values['fault-every']);
  if (!(minutes > 0) || !(faultEveryS > 0)) {
    process.stderr.write('soak : --minutes et --fault-every doivent être des nombres positifs\n');
    return 2;
  }
  const baseUrl = process.env.SOAK_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.SOAK_REDIS_URL ?? process.env.TEST_REDIS_URL;
  if (!baseUrl || !redisUrl) {
    process.stderr.write('soak : SOAK_DATABASE_URL et SOAK_REDIS_URL (ou TEST_…) requis\n');
    return 2;
  }
  const out = resolve(values.out ?? `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(out, { recursive: true });
  const seed = faultSeed();
  const random = seededRandom(seed);
  const prefix = `soak_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'segur-soak-'));
  process.stdout.write(`soak : ${minutes} min, FAULT_SEED=${seed}, sortie ${out}\n`);

  const db = await createDatabase(baseUrl, 'segur_soak');
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: prefix,
    EVENT_STORE: 'postgres',
    // The load is the point here, not the per-principal rate limits (tested on their own).
    RATE_LIMIT_IMPORTS: '1000000',
    RATE_LIMIT_COMMANDS: '1000000',
    RATE_LIMIT_WEBHOOKS: '1000000',
    DATA_DIR: dataDir,
    JWT_SECRET,
    WEBHOOK_SECRET_KEY: '5e'.repeat(32),
    LOG_LEVEL: 'info',
    MODIFICATION_REMINDER_AFTER: 'PT3S',
    MODIFICATION_EXPIRY_AFTER: 'PT6S',
    DEADLINES_RECONCILE_INTERVAL: 'PT5S',
    DEADLINES_LEASE: 'PT5S',
    IDEMPOTENCY_LEASE: 'PT5S',
    NODE_OPTIONS: `--require ${join(__dirname, 'lag-probe.js')}`,
  };
  const numeros = Array.from({ length: SEEDED }, (_, i) => `FINSAS${String(900_000 + i)}`);
  const infra = await openEngine(loadConfig({ ...process.env, ...env, REDIS_URL: '' }));
  for (const numeroAsp of numeros) await seedSoldeEnCours(infra, { numeroAsp });
  await infra.close();

  const exits: Exit[] = [];
  const procs = [
    new EngineProcess('api-1', 'api', env, exits),
    new EngineProcess('api-2', 'api', env, exits),
    new EngineProcess('worker-1', 'worker', env, exits),
    new EngineProcess('worker-2', 'worker', env, exits),
  ];
  const lag = new Map<string, number>();
  const listen = (p: EngineProcess): void =>
    void p.child?.on('message', (m: { soakLag?: { p99: number; max: number } }) => {
      if (m.soakLag) lag.set(p.name, m.soakLag.max);
    });
  await Promise.all(procs.map((p) => p.start()));
  procs.forEach(listen);
  const apis = procs.filter((p) => p.role === 'api');
  const workers = procs.filter((p) => p.role === 'worker');
  const bases = (): string[] => apis.filter((a) => a.running).map((a) => a.base);

  const verifier = new JwtVerifier({ secret: JWT_SECRET, jwksUrl: null });
  const token = (role: ApiRole, siret?: string): string =>
    verifier.sign({ sub: `${role}-${siret ?? 'bo'}`, role, ...(siret ? { siret } : {}) });
  const tally: Tally = { accepted: 0, refused: 0, retried: 0 };
  for (const who of [OFFICINE, GARAGE_POULAT])
    await send(
      bases,
      `/api/v1/fournisseurs/${who.siret}`,
      {
        method: 'PUT',
        token: token('assistance'),
        body: { ...enrolment(who.numeroAns), email: `contact-${who.siret}@example.test` },
      },
      tally,
    );

  const endAt = Date.now() + minutes * 60_000;
  const running = (): boolean => Date.now() < endAt;
  let fileNo = 0;
  const importLane = async (): Promise<void> => {
    while (running()) {
      const n = fileNo++;
      const lines = Array.from({ length: 5 }, (_, i) =>
        avanceLine(i + 1, {
          bonDeCommande: { dateBonDeCommande: '10/01/2023', montantSegurHTBonDeCommande: 1000 + n * 10 + i },
        }),
      );
      await send(
        bases,
        '/api/v1/imports/avance',
        {
          method: 'POST',
          token: token('fournisseur', OFFICINE.siret),
          body: avanceFile(lines),
        },
        tally,
      );
      await sleep(500);
    }
  };
  // A round expires after 6 s and the dossier is open again: the rounds cycle over the seeded ones.
  const modificationLane = async (): Promise<void> => {
    for (let i = 0; running(); i++) {
      await send(
        bases,
        `/api/v1/dossiers/${numeros[i % numeros.length]}/modification`,
        {
          method: 'POST',
          token: token('gestionnaire'),
          body: { commentaire: `tour ${i}` },
        },
        tally,
      );
      await sleep(700);
    }
  };

  const injected: string[] = [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const faults: Array<() => Promise<string>> = [
    async () => {
      const w = pick(workers);
      await w.kill('SIGKILL');
      await w.start();
      listen(w);
      return `kill -9 ${w.name}`;
    },
    async () => {
      const a = pick(apis);
      const exit = await a.kill('SIGTERM');
      await a.start();
      listen(a);
      return `SIGTERM ${a.name} (sortie ${exit.code ?? exit.signal})`;
    },
    async () => `pg_terminate_backend ×${await terminateBackends(baseUrl, db.name)}`,
    async () => {
      const pids = procs.flatMap((p) => (p.running && p.pid ? [p.pid] : []));
      return `CLIENT KILL ×${await killEngineRedisClients(redisUrl, pids, prefix)}`;
    },
  ];
  const faultLane = async (): Promise<void> => {
    const started = Date.now();
    while (running()) {
      await sleep(faultEveryS * 1000 * (0.5 + random()));
      if (!running()) return;
      const what = await pick(faults)();
      injected.push(`+${Math.round((Date.now() - started) / 1000)} s ${what}`);
      process.stdout.write(`soak : panne ${injected.at(-1)}\n`);
    }
  };

  const csv = join(out, 'soak.csv');
  const names = procs.map((p) => p.name);
  writeFileSync(
    csv,
    [
      't_s',
      ...names.map((n) => `rss_mib_${n}`),
      ...names.map((n) => `loop_delay_max_ms_${n}`),
      'projection_lag_events',
      'queue_waiting',
      'queue_delayed',
      'accepted',
      'refused',
      'retried',
      'faults',
    ].join(',') + '\n',
  );
  const rows: number[][] = [];
  const t0 = Date.now();
  const sampleLane = async (): Promise<void> => {
    while (running()) {
      await sleep(SAMPLE_EVERY_MS);
      const admin = new Client({ connectionString: db.url });
      admin.on('error', () => undefined);
      const pLag = await admin.connect().then(
        () => projectionLag(admin),
        () => null,
      );
      await admin.end().catch(() => undefined);
      const q = await queueDepth(redisUrl, prefix);
      const row = [
        Math.round((Date.now() - t0) / 1000),
        ...procs.map((p) => rssMiB(p.running ? p.pid : undefined) ?? NaN),
        ...procs.map((p) => lag.get(p.name) ?? NaN),
        pLag ?? NaN,
        q?.waiting ?? NaN,
        q?.delayed ?? NaN,
        tally.accepted,
        tally.refused,
        tally.retried,
        injected.length,
      ];
      rows.push(row);
      appendFileSync(
        csv,
        row.map((v) => (Number.isNaN(v) ? '' : String(Math.round(v * 10) / 10))).join(',') + '\n',
      );
    }
  };

  await Promise.all([importLane(), importLane(), modificationLane(), faultLane(), sampleLane()]);
  for (const p of procs) await p.kill('SIGTERM');
  const crashed = exits.filter((e) => !e.onPurpose).map((e) => `${e.name} ${e.code ?? e.signal}`);
  const summary =
    `soak : ${minutes} min, FAULT_SEED=${seed}, ${injected.length} pannes, commandes ${tally.accepted} acceptées / ` +
    `${tally.refused} refusées / ${tally.retried} renvoyées, morts inattendues : ${crashed.length === 0 ? 'aucune' : crashed.join(', ')}\n` +
    injected.join('\n');
  const col = (i: number): Array<number | null> =>
    rows.map((r) => (Number.isNaN(r[i] ?? NaN) ? null : (r[i] as number)));
  const times = rows.map((r) => r[0] ?? 0);
  const k = names.length;
  writeFileSync(
    join(out, 'soak.html'),
    htmlReport('Soak Ségur', summary, times, [
      {
        title: 'RSS par processus',
        unit: 'MiB',
        series: names.map((n, i) => ({ name: n, values: col(1 + i) })),
      },
      {
        title: 'Délai max de la boucle d’événements',
        unit: 'ms',
        series: names.map((n, i) => ({ name: n, values: col(1 + k + i) })),
      },
      {
        title: 'Retard des projections',
        unit: 'événements',
        series: [{ name: 'lag', values: col(1 + 2 * k) }],
      },
      {
        title: 'File BullMQ des échéances',
        unit: 'jobs',
        series: [
          { name: 'en attente', values: col(2 + 2 * k) },
          { name: 'différés', values: col(3 + 2 * k) },
        ],
      },
    ]),
  );
  process.stdout.write(`${summary}\nsoak : ${csv} et ${join(out, 'soak.html')}\n`);
  if (!values.keep) {
    await db.drop();
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
  rmSync(dataDir, { recursive: true, force: true });
  return crashed.length === 0 ? 0 : 1;
};
