import { randomUUID } from 'node:crypto';
import { types } from 'pg';
import { PostgresEventStore, migrateEventStore } from '@segur/event-store';
import { Latencies, mean, runClosedLoop, round } from '../lib/measure';
import { reference, type Scenario } from '../lib/scenario';
import { RAW_EVENTS_DDL, sampleEvent } from './fixtures';

const CLIENTS = 16;

export const appendSingle: Scenario = {
  name: 'append-single',
  description: `one event per append, each to a new stream, ${CLIENTS} concurrent clients`,
  async run(ctx) {
    const seconds = ctx.quick ? 3 : 8;
    const warmupMs = ctx.quick ? 500 : 1_000;
    const unit = 'events/s';

    await ctx.resetSchema();
    const sql = await ctx.connect(CLIENTS + 2);
    let ours;
    try {
      await migrateEventStore(sql);
      const store = new PostgresEventStore(sql);
      // The same store without the audit hash chain (bench-only switch): the chain's cost, same run.
      const unchained = new PostgresEventStore(sql, { auditChain: false });
      await sql.query(RAW_EVENTS_DDL.split(';')[0] as string);
      await sql.query(RAW_EVENTS_DDL.split(';')[1] as string);
      const appendOurs = (c: number, i: number) =>
        store.appendToStream(`dossier-${c}-${i}`, [sampleEvent(i)], { expectedVersion: 'no_stream' });
      // Raw: the floor of one committed single-row INSERT per append, same table shape, same pool.
      const appendUnchained = (c: number, i: number) =>
        unchained.appendToStream(`dossier-off-${c}-${i}`, [sampleEvent(i)], { expectedVersion: 'no_stream' });
      const insertRaw = (c: number, i: number) => {
        const e = sampleEvent(i);
        return sql.query(
          `INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, data, metadata)
           VALUES ($1, 1, $2, $3, $4, $5)`,
          [`dossier-${c}-${i}`, randomUUID(), e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
        );
      };
      const emmett = await openEmmett(ctx.urlWithSchema());
      // Interleaved slices, so load from elsewhere on the machine falls on all three alike.
      const slices = ctx.quick ? 2 : 4;
      const sliceMs = (seconds * 1000) / slices;
      const oursRuns = [];
      const rawRuns = [];
      const emmettRuns = [];
      const offRuns = [];
      try {
        for (let k = 0; k < slices; k++) {
          const n = (i: number) => k * 1e6 + i;
          oursRuns.push(await runClosedLoop(CLIENTS, sliceMs, (c, i) => appendOurs(c, n(i)), warmupMs));
          rawRuns.push(await runClosedLoop(CLIENTS, sliceMs, (c, i) => insertRaw(c, n(i)), warmupMs));
          emmettRuns.push(await runClosedLoop(CLIENTS, sliceMs, (c, i) => emmett.append(c, n(i)), warmupMs));
          offRuns.push(await runClosedLoop(CLIENTS, sliceMs, (c, i) => appendUnchained(c, n(i)), warmupMs));
        }
      } finally {
        await emmett.close();
      }
      ours = {
        opsPerSecond: mean(oursRuns.map((r) => r.opsPerSecond)),
        latencies: Latencies.merge(oursRuns.map((r) => r.latencies)),
      };
      const raw = mean(rawRuns.map((r) => r.opsPerSecond));
      const peer = mean(emmettRuns.map((r) => r.opsPerSecond));
      const off = mean(offRuns.map((r) => r.opsPerSecond));
      ctx.log(
        `ours ${Math.round(ours.opsPerSecond)}/s, chain off ${Math.round(off)}/s, raw insert ${Math.round(raw)}/s, emmett ${Math.round(peer)}/s`,
      );

      return {
        unit,
        value: Math.round(ours.opsPerSecond),
        p50: round(ours.latencies.percentile(50)),
        p99: round(ours.latencies.percentile(99)),
        params: {
          clients: CLIENTS,
          seconds,
          slices: ctx.quick ? 2 : 4,
          warmupMsPerSlice: warmupMs,
          eventsPerAppend: 1,
          expectedVersion: 'no_stream',
        },
        references: [
          reference(unit, ours.opsPerSecond, '@event-driven-io/emmett-postgresql 0.42', peer, 2),
          reference(unit, ours.opsPerSecond, 'raw single-row INSERT', raw, 0.6),
          reference(unit, ours.opsPerSecond, 'same store, audit hash chain off', off, 0.9),
        ],
      };
    } finally {
      await sql.close();
    }
  },
};

interface EmmettStore {
  schema: { migrate(): Promise<void> };
  appendToStream(
    stream: string,
    events: unknown[],
    options?: { expectedStreamVersion?: unknown },
  ): Promise<unknown>;
  close(): Promise<void>;
}

/** The peer store on the same database and workload. ESM-only, so loaded with import(). */
const openEmmett = async (url: string) => {
  const { getPostgreSQLEventStore } = (await import('@event-driven-io/emmett-postgresql')) as unknown as {
    getPostgreSQLEventStore: (connectionString: string) => EmmettStore;
  };
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  return {
    append: (c: number, i: number) => {
      const e = sampleEvent(i);
      return store.appendToStream(
        `dossier-${c}-${i}`,
        [{ type: e.type, data: e.data, metadata: e.metadata }],
        {
          expectedStreamVersion: 'STREAM_DOES_NOT_EXIST',
        },
      );
    },
    close: async () => {
      await store.close();
      // dumbo switched pg's global parsers (int8 → BigInt, its own JSON): give them back.
      types.setTypeParser(types.builtins.INT8, (v: string) => v);
      types.setTypeParser(types.builtins.JSONB, JSON.parse);
      types.setTypeParser(types.builtins.JSON, JSON.parse);
    },
  };
};
