import pino from 'pino';
import { NO_TIMERS, buildProjections } from '@segur/worker';
import { loadConfig } from '@segur/platform';
import { CommandPipeline, newCommandContext } from '@segur/commands';
import { openEngine } from '@segur/engine';
import { comparePositions, type SqlExecutor } from '@segur/event-store';
import { ProjectionRunner, SUIVI_PROJECTION } from '@segur/projections';
import { Latencies, round } from '../lib/measure';
import { reference, type Scenario } from '../lib/scenario';
import { openRoundCommands } from './lifecycles';

const RATE = 500;
const DOSSIERS = 200;
const SIRET = '79256844600019';
const four = { id: 'fournisseur-1', role: 'fournisseur' as const };

const numeroAsp = (n: number): string => `FINSAS${String(n).padStart(6, '0')}`;

/**
 * Append → visible in suivi: the clock starts when `commands.execute` returns (the HTTP response
 * would go out then) and stops at the runner's commit of a suivi checkpoint at or past the event's
 * position (its in-process commit hook, no polling).
 */
class LagProbe {
  private suiviAt: string | null = null;
  private readonly waiting: { position: string; since: number; done: (ms: number) => void }[] = [];

  constructor(runner: ProjectionRunner) {
    runner.onCommit((projection, position) => {
      if (projection !== SUIVI_PROJECTION) return;
      this.suiviAt = position;
      const now = performance.now();
      for (let i = this.waiting.length - 1; i >= 0; i--) {
        const w = this.waiting[i]!;
        if (comparePositions(w.position, position) > 0) continue;
        this.waiting.splice(i, 1);
        w.done(now - w.since);
      }
    });
  }

  visible(position: string, since: number): Promise<number> {
    if (comparePositions(position, this.suiviAt) <= 0) return Promise.resolve(performance.now() - since);
    return new Promise((done) => this.waiting.push({ position, since, done }));
  }
}

/**
 * Samples the oldest transaction holding an xid in the whole database, every 50 ms: gap-safe reads
 * only see transactions older than every running one, whatever schema it writes (other benches,
 * tests), so a long one there delays every subscriber here. Reported next to the lag.
 */
const watchOldestWriter = (sql: SqlExecutor): (() => number) => {
  let worst = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sql
      .query<{ ms: string | null }>(
        `SELECT extract(epoch FROM max(clock_timestamp() - xact_start)) * 1000 AS ms
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()`,
      )
      .then((r) => (worst = Math.max(worst, Number(r.rows[0]?.ms ?? 0))))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.round(worst);
  };
};

const edit = (commands: CommandPipeline, n: number): Promise<{ position: string | null }> =>
  commands.execute(
    {
      type: 'EditModificationDraft',
      actor: four,
      at: new Date().toISOString(),
      data: { numeroAsp: numeroAsp(n % DOSSIERS), fields: { contactSupport: `contact-${n}@editeur.fr` } },
    },
    newCommandContext(),
  );

export const projectionLag: Scenario = {
  name: 'projection-lag',
  description: `append → visible in suivi, ${RATE} commands/s steady (all projections running)`,
  async run(ctx) {
    const seconds = ctx.quick ? 5 : 20;
    const unit = 'ms';
    await ctx.resetSchema();
    const sql = await ctx.connect(30);
    const config = loadConfig({
      DATABASE_URL: ctx.databaseUrl,
      JWT_SECRET: 'x'.repeat(32),
      WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
    });
    const logger = pino({ level: 'silent' });
    const infra = await openEngine(config, { sql, logger });
    const commands = new CommandPipeline(infra);
    const runner = new ProjectionRunner(
      sql,
      infra.store,
      buildProjections(config, { scheduler: NO_TIMERS, logger }),
    );
    try {
      await runner.migrate();
      runner.start();
      const probe = new LagProbe(runner);
      const at = new Date().toISOString();
      for (let from = 0; from < DOSSIERS; from += 20)
        await Promise.all(
          Array.from({ length: Math.min(20, DOSSIERS - from) }, async (_, k) => {
            for (const c of openRoundCommands(numeroAsp(from + k), SIRET, at))
              await commands.execute(c, newCommandContext());
          }),
        );
      await runner.waitForPosition((await infra.store.headPosition()) ?? '', 60_000);

      // No load: one command at a time, each waited for, with a pause between.
      const idle = new Latencies();
      for (let i = 0; i < (ctx.quick ? 20 : 50); i++) {
        const r = await edit(commands, i);
        if (r.position) idle.record(await probe.visible(r.position, performance.now()));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      // Open loop: a command every 1000/RATE ms on the clock, whatever the previous ones are doing.
      const lag = new Latencies();
      const append = new Latencies();
      const stopWatch = watchOldestWriter(sql);
      const inFlight: Promise<void>[] = [];
      const start = performance.now();
      const total = RATE * seconds;
      let errors = 0;
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const n = 1_000 + i;
        inFlight.push(
          (async () => {
            const t0 = performance.now();
            try {
              const r = await edit(commands, n);
              const appended = performance.now();
              append.record(appended - t0);
              if (r.position) lag.record(await probe.visible(r.position, appended));
            } catch {
              errors++;
            }
          })(),
        );
      }
      await Promise.all(inFlight);
      const achieved = total / ((performance.now() - start) / 1000);
      const oldestWriterMs = stopWatch();
      const projectionErrors = (await runner.status())
        .filter((s) => s.lastError)
        .map((s) => `${s.name}: ${s.lastError?.message}`);
      const p99 = lag.percentile(99) ?? NaN;
      ctx.log(
        `lag p50 ${round(lag.percentile(50))} p99 ${round(p99)} ms; idle p99 ${round(idle.percentile(99))} ms; ` +
          `append p99 ${round(append.percentile(99))} ms; ${Math.round(achieved)} commands/s, ${errors} errors; ` +
          `oldest writing transaction in the database ${oldestWriterMs} ms` +
          (projectionErrors.length ? `; projection errors: ${projectionErrors.join(' | ')}` : ''),
      );
      return {
        unit,
        value: round(p99) ?? NaN,
        p50: round(lag.percentile(50)),
        p99: round(p99),
        params: {
          rate: RATE,
          seconds,
          achievedRate: Math.round(achieved),
          commands: total,
          errors,
          dossiers: DOSSIERS,
          command: 'EditModificationDraft',
          runner: { batchSize: 500, batchWindowMs: 0 },
          oldestWriterMs,
          projectionErrors: projectionErrors.length,
          appendP50: round(append.percentile(50)),
          appendP99: round(append.percentile(99)),
          idleP50: round(idle.percentile(50)),
        },
        references: [
          reference(unit, p99, 'same lag, no load (one command at a time), p99', idle.percentile(99) ?? NaN),
          reference(
            unit,
            p99,
            'append latency under the same load (commands.execute), p99',
            append.percentile(99) ?? NaN,
          ),
        ],
        targets: {},
      };
    } finally {
      await runner.stop();
      await infra.close();
      await sql.close();
    }
  },
};
