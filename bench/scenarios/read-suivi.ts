import jwt from 'jsonwebtoken';
import { PostgresEventStore, migrateEventStore } from '@segur/event-store';
import { createSuiviProjection, migrateProjections, rebuildProjections } from '@segur/projections';
import { startChildApi } from '../lib/child-api';
import { round } from '../lib/measure';
import { runPacedLoad } from '../lib/paced-load';
import { reference, type Scenario } from '../lib/scenario';
import { seedLifecycles } from './lifecycles';

const RATE = 1_000;
const CONNECTIONS = 32;
const SECRET = 'bench-read-suivi-secret-0123456789abcdef';

interface Run {
  p50: number;
  p99: number;
  max: number;
  /** From the moment the request was written (the generator's timer slop and queue left out). */
  wireP50: number;
  wireP99: number;
  rate: number;
  non2xx: number;
  errors: number;
  maxSendLagMs: number;
  generatorCpuPercent: number;
}

/**
 * RATE req/s at constant inter-arrival times against `path()`, drawn again for every request; each
 * latency counted from the request's scheduled time (see paced-load.ts for why not autocannon).
 */
const load = async (baseUrl: string, token: string, seconds: number, path: () => string): Promise<Run> => {
  const r = await runPacedLoad({
    baseUrl,
    rate: RATE,
    seconds,
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${token}` },
    path,
  });
  return {
    p50: round(r.latencies.percentile(50)) ?? NaN,
    p99: round(r.latencies.percentile(99)) ?? NaN,
    max: round(r.latencies.percentile(100)) ?? NaN,
    wireP50: round(r.wireLatencies.percentile(50)) ?? NaN,
    wireP99: round(r.wireLatencies.percentile(99)) ?? NaN,
    rate: r.achievedRate,
    non2xx: r.non2xx,
    errors: r.errors,
    maxSendLagMs: round(r.maxSendLagMs) ?? NaN,
    generatorCpuPercent: r.cpuPercent,
  };
};

export const readSuivi: Scenario = {
  name: 'read-suivi',
  description: `GET /api/v1/dossiers/{n} (suivi page) at ${RATE} req/s over 100,000 dossiers, API in a child process`,
  async run(ctx) {
    const dossiers = ctx.quick ? 20_000 : 100_000;
    const seconds = ctx.quick ? 5 : 15;
    const unit = 'ms';
    await ctx.resetSchema();
    const sql = await ctx.connect(8);
    let api: Awaited<ReturnType<typeof startChildApi>> | null = null;
    try {
      // The read model as production gets it: events of realistic lifecycles, projected by the
      // suivi projection (one rebuild pass), SIRETs enrolled as fournisseurs for the page's join.
      await migrateEventStore(sql);
      const seedStart = performance.now();
      const seeded = await seedLifecycles(sql, dossiers * 8);
      const suivi = createSuiviProjection();
      await migrateProjections(sql, [suivi]);
      await rebuildProjections(sql, new PostgresEventStore(sql), [suivi], { batchSize: 5_000, fresh: true });
      await sql.query(
        `INSERT INTO fournisseurs (siret, numero_ans, denomination_sociale, adresse, email, iban, bic)
         SELECT '4430618410' || lpad(g::text, 4, '0'), 'pbrSAS' || lpad(g::text, 4, '0'), 'EDITEUR ' || g,
                jsonb_build_object('ligne', g || ' cour DE MONS', 'codePostal', '59650', 'commune', 'VILLENEUVE D ASCQ'),
                'contact' || g || '@editeur.fr', 'FR7630006000011234567890189', 'AGRIFRPP'
           FROM generate_series(0, 999) AS g ON CONFLICT DO NOTHING`,
      );
      // The seeding's aftermath is not what is measured: vacuumed and analysed tables (autovacuum
      // would otherwise take the freshly written ~800k events and 100k rows during the run) and a
      // checkpoint (the seeding's WAL flushed now, not in the middle of the measurement).
      await sql.query('VACUUM (ANALYZE) es_events, suivi_dossiers, fournisseurs');
      await sql
        .query('CHECKPOINT')
        .catch(() => ctx.log('CHECKPOINT refusé (rôle sans pg_checkpoint) : ignoré'));
      const rows = Number(
        (await sql.query<{ n: string }>('SELECT count(*) AS n FROM suivi_dossiers')).rows[0]?.n ?? 0,
      );
      ctx.log(
        `${rows} suivi rows from ${seeded.events} events in ${Math.round(performance.now() - seedStart)} ms`,
      );

      api = await startChildApi(ctx, { JWT_SECRET: SECRET, LOG_LEVEL: 'warn' });
      const token = jwt.sign({ sub: 'bench', role: 'gestionnaire' }, SECRET, {
        algorithm: 'HS256',
        expiresIn: '2h',
      });
      const dossier = (): string =>
        `/api/v1/dossiers/FINSAS${String(Math.floor(Math.random() * seeded.dossiers)).padStart(6, '0')}`;
      // Warm-up (JIT, pool connections, plan caches), then suivi and /health alternately.
      await load(api.baseUrl, token, 2, dossier);
      // The server's CPU per request (user + system of its process): what the 2 cores can spare.
      const cpuPerRequestUs = async (run: () => Promise<Run>): Promise<[Run, number]> => {
        const before = api!.cpuMs();
        const r = await run();
        return [r, Math.round(((api!.cpuMs() - before) * 1000) / (r.rate * seconds))];
      };
      const [ours, apiCpuUs] = await cpuPerRequestUs(() => load(api!.baseUrl, token, seconds, dossier));
      const [health, healthCpuUs] = await cpuPerRequestUs(() =>
        load(api!.baseUrl, token, seconds, () => '/health'),
      );
      ctx.log(
        `suivi p50 ${ours.p50} p99 ${ours.p99} max ${ours.max} ms (from the write: p50 ${ours.wireP50} p99 ${ours.wireP99}) at ${Math.round(ours.rate)} req/s ` +
          `(${ours.non2xx} non-2xx, ${ours.errors} errors, generator lag ≤ ${ours.maxSendLagMs} ms, generator CPU ${ours.generatorCpuPercent} %, API CPU ${apiCpuUs} µs/request); ` +
          `/health p50 ${health.p50} p99 ${health.p99} max ${health.max} ms (API CPU ${healthCpuUs} µs/request)`,
      );
      return {
        unit,
        value: ours.p99,
        p50: ours.p50,
        p99: ours.p99,
        params: {
          dossiers: rows,
          events: seeded.events,
          rate: RATE,
          achievedRate: Math.round(ours.rate),
          connections: CONNECTIONS,
          loadGenerator:
            'open loop, constant inter-arrival, raw keep-alive sockets (bench/lib/paced-load.ts), latency from the scheduled send',
          wireP50: ours.wireP50,
          wireP99: ours.wireP99,
          maxMs: ours.max,
          generatorMaxSendLagMs: ours.maxSendLagMs,
          generatorCpuPercent: ours.generatorCpuPercent,
          seconds,
          non2xx: ours.non2xx,
          errors: ours.errors,
          role: 'gestionnaire',
          apiPeakRssMb: api.peakRssMb(),
          healthP50: health.p50,
          healthMaxMs: health.max,
          apiCpuUsPerRequest: apiCpuUs,
          healthApiCpuUsPerRequest: healthCpuUs,
        },
        references: [reference(unit, ours.p99, `GET /health, same server and rate, p99`, health.p99)],
        targets: {},
      };
    } finally {
      await api?.stop();
      await sql.close();
    }
  },
};
