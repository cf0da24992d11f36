import { randomUUID } from 'node:crypto';
import { PostgresEventStore, migrateEventStore, type AppendManyItem } from '@segur/event-store';
import { median, round } from '../lib/measure';
import { reference, type Scenario } from '../lib/scenario';
import { RAW_EVENTS_DDL, sampleEvent } from './fixtures';

const STREAMS = 10_000;
const EVENTS_PER_STREAM = 2;

export const appendBatch: Scenario = {
  name: 'append-batch',
  description: `one appendMany of ${STREAMS} new streams × ${EVENTS_PER_STREAM} events (bulk import)`,
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 5;
    const unit = 'events/s';
    const events = STREAMS * EVENTS_PER_STREAM;

    await ctx.resetSchema();
    const sql = await ctx.connect(4);
    try {
      await migrateEventStore(sql);
      await sql.query(RAW_EVENTS_DDL.split(';')[0] as string);
      await sql.query(RAW_EVENTS_DDL.split(';')[1] as string);
      const store = new PostgresEventStore(sql);
      // The same store without the audit hash chain (bench-only switch): the chain's cost, same run.
      const unchained = new PostgresEventStore(sql, { auditChain: false });

      const oursMs: number[] = [];
      const rawMs: number[] = [];
      const offMs: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const items: AppendManyItem[] = Array.from({ length: STREAMS }, (_, s) => ({
          streamId: `dossier-${r}-${s}`,
          events: Array.from({ length: EVENTS_PER_STREAM }, (_, k) => sampleEvent(s * EVENTS_PER_STREAM + k)),
          expectedVersion: 'no_stream' as const,
        }));
        let start = performance.now();
        const results = await store.appendMany(items);
        oursMs.push(performance.now() - start);
        if (results.some((x) => !x.ok)) throw new Error('append-batch: unexpected conflict');
        const offItems = items.map((item) => ({ ...item, streamId: `off-${item.streamId}` }));
        start = performance.now();
        const offResults = await unchained.appendMany(offItems);
        offMs.push(performance.now() - start);
        if (offResults.some((x) => !x.ok)) throw new Error('append-batch: unexpected conflict (chain off)');

        // Raw: the same rows, serialised the same way, in one INSERT … SELECT FROM unnest(…).
        start = performance.now();
        const flat = items.flatMap((item) => item.events.map((e, k) => ({ s: item.streamId, v: k + 1, e })));
        await sql.transaction((tx) =>
          tx.query(
            `INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, data, metadata)
             SELECT s, v, id, t, d::jsonb, m::jsonb
             FROM unnest($1::text[], $2::int8[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS x(s, v, id, t, d, m)`,
            [
              flat.map((x) => x.s),
              flat.map((x) => x.v),
              flat.map(() => randomUUID()),
              flat.map((x) => x.e.type),
              flat.map((x) => JSON.stringify(x.e.data)),
              flat.map((x) => JSON.stringify(x.e.metadata)),
            ],
          ),
        );
        rawMs.push(performance.now() - start);
        ctx.log(
          `round ${r + 1}: ours ${Math.round(oursMs.at(-1) ?? 0)} ms, chain off ${Math.round(offMs.at(-1) ?? 0)} ms, raw ${Math.round(rawMs.at(-1) ?? 0)} ms`,
        );
      }
      const ours = events / (median(oursMs) / 1000);
      const raw = events / (median(rawMs) / 1000);
      const off = events / (median(offMs) / 1000);
      return {
        unit,
        value: Math.round(ours),
        p50: round(median(oursMs)),
        p99: round(Math.max(...oursMs)),
        params: {
          streams: STREAMS,
          eventsPerStream: EVENTS_PER_STREAM,
          rounds,
          latencyIs: 'ms per appendMany call (p99 = worst round)',
        },
        references: [
          reference(unit, ours, 'raw INSERT … SELECT unnest(…)', raw, 0.5),
          reference(unit, ours, 'same store, audit hash chain off', off, 0.9),
        ],
      };
    } finally {
      await sql.close();
    }
  },
};
