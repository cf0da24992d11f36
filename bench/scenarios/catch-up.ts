import { PostgresEventStore, migrateEventStore, type PgSqlClient } from '@segur/event-store';
import { reference, type Scenario } from '../lib/scenario';

const RAW_PAGE = 10_000;
const BATCH = 5_000;

export const catchUp: Scenario = {
  name: 'catch-up',
  description: 'a subscription to all catching up from the beginning of a large store',
  async run(ctx) {
    const total = ctx.quick ? 100_000 : 1_000_000;
    const unit = 'events/s';
    await ctx.resetSchema();
    const sql = await ctx.connect(4);
    try {
      await migrateEventStore(sql);
      const seedStart = performance.now();
      await seed(sql, total);
      ctx.log(`seeded ${total} events in ${Math.round(performance.now() - seedStart)} ms`);

      const store = new PostgresEventStore(sql);
      const stop = new AbortController();
      let count = 0;
      const start = performance.now();
      for await (const _event of store.subscribeToAll({
        from: null,
        batchSize: BATCH,
        signal: stop.signal,
      })) {
        if (++count === total) stop.abort();
      }
      const ours = total / ((performance.now() - start) / 1000);
      ctx.log(`ours: ${Math.round(ours)}/s`);

      // Raw: the same rows copied into a plain table keyed by position, paged the simplest way, no
      // visibility filter, no mapping to envelopes: what a hand-written reader would get.
      await sql.query('CREATE TABLE raw_catchup AS SELECT * FROM es_events');
      await sql.query('ALTER TABLE raw_catchup ADD PRIMARY KEY (global_position)');
      await sql.query('ANALYZE raw_catchup');
      const rawStart = performance.now();
      let rows = 0;
      for (let last = '0'; ;) {
        const r = await sql.query<{ global_position: string }>(
          `SELECT global_position, transaction_id::text AS tx, stream_id, stream_version, event_id::text AS event_id,
                  event_type, schema_version, data, metadata, recorded_at
           FROM raw_catchup WHERE global_position > $1 ORDER BY global_position LIMIT ${RAW_PAGE}`,
          [last],
        );
        rows += r.rows.length;
        const page = r.rows.at(-1);
        if (!page) break;
        last = page.global_position;
      }
      if (rows !== total) throw new Error(`catch-up: raw read ${rows} rows, expected ${total}`);
      const raw = total / ((performance.now() - rawStart) / 1000);
      ctx.log(`raw: ${Math.round(raw)}/s`);

      return {
        unit,
        value: Math.round(ours),
        p50: null,
        p99: null,
        params: { events: total, batchSize: BATCH, rawPageSize: RAW_PAGE },
        references: [
          reference(unit, ours, `raw paged SELECT … ORDER BY position LIMIT ${RAW_PAGE}`, raw, 0.3),
        ],
        targets: { 'events/s': 100_000 },
      };
    } finally {
      await sql.close();
    }
  },
};

/** Bulk seed in SQL (100k-row transactions, so the store holds many transaction ids, as in life). */
const seed = async (sql: PgSqlClient, total: number): Promise<void> => {
  const chunk = 100_000;
  for (let from = 0; from < total; from += chunk) {
    await sql.query(
      `INSERT INTO es_events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
       SELECT 'dossier-' || (g / 10), g % 10 + 1, gen_random_uuid(), 'PieceAdded', 1,
              jsonb_build_object('numeroAsp', 'FINSAS' || lpad(g::text, 6, '0'), 'montantCentimes', 1250000 + g,
                'piece', jsonb_build_object('nom', 'devis-signe.pdf', 'taille', 182734,
                  'sha256', 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78')),
              jsonb_build_object('actor', jsonb_build_object('id', 'fournisseur-44306184100047', 'role', 'fournisseur'),
                'correlationId', gen_random_uuid(), 'causationId', null, 'commandId', gen_random_uuid())
       FROM generate_series($1::int, $2::int - 1) AS g`,
      [from, Math.min(from + chunk, total)],
    );
  }
  await sql.query('ANALYZE es_events');
};
