import pino from 'pino';
import { NO_TIMERS, buildProjections, loadConfig } from '@segur/application';
import { PostgresEventStore, migrateEventStore } from '@segur/event-store';
import { migrateProjections, rebuildProjections } from '@segur/projections';
import { reference, type Scenario } from '../lib/scenario';
import { seedLifecycles } from './lifecycles';

const BATCH = 5_000;
const READ_PAGE = 5_000;

export const rebuild: Scenario = {
  name: 'rebuild',
  description: 'every projection (but email-outbox) rebuilt from zero over realistic dossier lifecycles',
  async run(ctx) {
    const target = ctx.quick ? 100_000 : 1_000_000;
    const unit = 'events/s';
    await ctx.resetSchema();
    const sql = await ctx.connect(8);
    try {
      await migrateEventStore(sql);
      const seedStart = performance.now();
      const seeded = await seedLifecycles(sql, target);
      ctx.log(
        `seeded ${seeded.events} events (${seeded.dossiers} dossiers) in ${Math.round(performance.now() - seedStart)} ms`,
      );
      const store = new PostgresEventStore(sql);
      const config = loadConfig({ DATABASE_URL: ctx.databaseUrl, JWT_SECRET: 'x'.repeat(32) });
      const projections = buildProjections(config, {
        scheduler: NO_TIMERS,
        logger: pino({ level: 'silent' }),
      }).filter((p) => p.name !== 'email-outbox');
      await migrateProjections(sql, projections);

      // Reference first: the raw read of every event through the port, pages of READ_PAGE.
      const readStart = performance.now();
      let read = 0;
      for (let after: string | null = null; ;) {
        const page = await store.readAll({ after, limit: READ_PAGE });
        read += page.events.length;
        if (page.events.length === 0) break;
        after = page.cursor;
      }
      if (read !== seeded.events) throw new Error(`rebuild: read ${read} events, expected ${seeded.events}`);
      const raw = seeded.events / ((performance.now() - readStart) / 1000);
      ctx.log(`raw readAll: ${Math.round(raw)}/s`);

      // All projections from one read of the store (rebuildProjections), then each swapped.
      const start = performance.now();
      const results = await rebuildProjections(sql, store, projections, { batchSize: BATCH, fresh: true });
      const ours = seeded.events / ((performance.now() - start) / 1000);
      const unswapped = results.filter((r) => !r.swapped).map((r) => r.projection);
      if (unswapped.length) throw new Error(`rebuild: not swapped: ${unswapped.join(', ')}`);
      ctx.log(`all: ${Math.round(ours)}/s`);
      const suivi = await sql.query<{ n: string }>('SELECT count(*) AS n FROM suivi_dossiers');
      if (Number(suivi.rows[0]?.n) !== seeded.dossiers)
        throw new Error(`rebuild: ${suivi.rows[0]?.n} suivi rows, expected ${seeded.dossiers}`);

      return {
        unit,
        value: Math.round(ours),
        p50: null,
        p99: null,
        params: {
          events: seeded.events,
          dossiers: seeded.dossiers,
          projections: projections.map((p) => p.name),
          batchSize: BATCH,
        },
        references: [reference(unit, ours, `raw store.readAll pages of ${READ_PAGE}`, raw)],
        targets: { 'events/s': 50_000 },
      };
    } finally {
      await sql.close();
    }
  },
};
