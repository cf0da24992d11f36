import { DEFAULT_COULOIRS, createDossierDecider } from '@segur/domain';
import { PostgresEventStore, migrateEventStore } from '@segur/event-store';
import { COMMAND_LOG_MIGRATIONS, replayCommands } from '@segur/commands';
import { reference, type Scenario } from '../lib/scenario';
import { seedLifecycles } from './lifecycles';

const PAGE = 500;

/**
 * `npm run cli -- replay`'s work over the lifecycle store the rebuild reads: every recorded command
 * re-decided under the live couloirs (so zero differences, checked), the log and the streams read a
 * page of dossiers at a time.
 */
export const replay: Scenario = {
  name: 'replay',
  description:
    'every recorded command re-decided (rule-change impact replay) over realistic dossier lifecycles',
  async run(ctx) {
    const target = ctx.quick ? 100_000 : 1_000_000;
    const unit = 'commands/s';
    await ctx.resetSchema();
    const sql = await ctx.connect(8);
    try {
      await migrateEventStore(sql);
      for (const statement of COMMAND_LOG_MIGRATIONS) await sql.query(statement);
      const seedStart = performance.now();
      const seeded = await seedLifecycles(sql, target, { commandLog: true });
      const logged = Number(
        (await sql.query<{ n: string }>('SELECT count(*) AS n FROM command_log')).rows[0]?.n ?? 0,
      );
      ctx.log(
        `seeded ${seeded.events} events, ${logged} commands (${seeded.dossiers} dossiers) in ${Math.round(performance.now() - seedStart)} ms`,
      );
      await sql.query('VACUUM ANALYZE es_events');
      await sql.query('VACUUM ANALYZE command_log');
      await sql.query('CHECKPOINT');
      const store = new PostgresEventStore(sql);

      // Reference: the same pages read (log entries and streams), nothing decided.
      const readStart = performance.now();
      let readCommands = 0;
      for (let after: string | null = null; ;) {
        const ids: string[] = (
          await sql.query<{ stream_id: string }>(
            `SELECT DISTINCT stream_id FROM command_log WHERE stream_id > $1 ORDER BY stream_id LIMIT $2`,
            [after ?? '', PAGE],
          )
        ).rows.map((r) => r.stream_id);
        if (ids.length === 0) break;
        after = ids.at(-1)!;
        const [log] = await Promise.all([
          sql.query('SELECT * FROM command_log WHERE stream_id = ANY($1::text[])', [ids]),
          store.readStreams(ids),
        ]);
        readCommands += log.rows.length;
      }
      const readOnly = readCommands / ((performance.now() - readStart) / 1000);
      ctx.log(`pages read, nothing decided: ${Math.round(readOnly)} commands/s`);

      const start = performance.now();
      const summary = await replayCommands({
        sql,
        store,
        decider: createDossierDecider(DEFAULT_COULOIRS),
        pageSize: PAGE,
      });
      const secs = (performance.now() - start) / 1000;
      if (summary.redecided !== logged)
        throw new Error(`replay: ${summary.redecided} re-decided, ${logged} logged`);
      if (summary.differing !== 0)
        throw new Error(`replay: ${summary.differing} differences under the live configuration`);
      const ours = summary.redecided / secs;
      ctx.log(
        `replay: ${summary.redecided} commands in ${secs.toFixed(1)} s, ${Math.round(ours)}/s, 0 differences`,
      );
      return {
        unit,
        value: Math.round(ours),
        p50: null,
        p99: null,
        params: { events: seeded.events, dossiers: seeded.dossiers, commands: logged, pageSize: PAGE },
        references: [reference(unit, ours, 'the same pages read, nothing decided', readOnly)],
      };
    } finally {
      await sql.close();
    }
  },
};
