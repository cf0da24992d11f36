import { toIso } from '@segur/kernel';
import {
  ConcurrentCheckpointError,
  UnchainedEventsError,
  byCodeUnits,
  type AuditLog,
  type ChainEntry,
  type CheckpointPayload,
  type StoredCheckpoint,
  type StreamHead,
} from '../audit/audit-log.port';
import { GENESIS_HASH, canonicalJson, chainHash } from '../audit/chain-hash';
import type { SqlClient } from '../sql-client';
import {
  CHECKPOINTS,
  CHECKPOINT_LEAVES,
  FILL_HASHES,
  HEADS_BETWEEN,
  INSERT_CHECKPOINT,
  INSERT_CHECKPOINT_HEADS,
  READ_CHAIN,
  STREAM_IDS,
  UNCHAINED_COUNT,
  UNCHAINED_ROWS,
} from './audit.sql';
import { decodePosition, encodePosition } from './postgres.position';
import { headPosition } from './read/read-all';

interface ChainRow {
  tx: string;
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: Date | string;
  prev_hash: string | null;
  hash: string | null;
}

const toEntry = (r: ChainRow): ChainEntry => ({
  id: r.event_id,
  type: r.event_type,
  schemaVersion: r.schema_version,
  streamId: r.stream_id,
  streamVersion: Number(r.stream_version),
  position: encodePosition(r.tx, r.global_position),
  recordedAt: toIso(r.recorded_at),
  data: r.data,
  metadata: r.metadata,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The audit log of a PostgreSQL/PGlite event store (migrations 3 and 4). */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly sql: SqlClient) {}

  async readChain(streamId: string): Promise<ChainEntry[]> {
    const r = await this.sql.query<ChainRow>(READ_CHAIN, [streamId]);
    return r.rows.map(toEntry);
  }

  async streamIds(after: string | null, limit: number): Promise<string[]> {
    const r = await this.sql.query<{ stream_id: string }>(STREAM_IDS, [after, limit]);
    return r.rows.map((row) => row.stream_id);
  }

  headPosition(): Promise<string | null> {
    return headPosition(this.sql);
  }

  async headsBetween(after: string | null, upTo: string): Promise<StreamHead[]> {
    const from = decodePosition(after);
    const to = decodePosition(upTo);
    const r = await this.sql.query<{ stream_id: string; stream_version: string; hash: string | null }>(
      HEADS_BETWEEN,
      [from.transactionId, from.globalPosition, to.transactionId, to.globalPosition],
    );
    return r.rows
      .map((row) => {
        if (row.hash === null) throw new UnchainedEventsError(row.stream_id);
        return { streamId: row.stream_id, version: Number(row.stream_version), hash: row.hash };
      })
      .sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }

  async unchainedCount(): Promise<number> {
    const r = await this.sql.query<{ n: number }>(UNCHAINED_COUNT);
    return Number(r.rows[0]?.n ?? 0);
  }

  async chainPending(limit: number): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const pending = await tx.query<{ stream_id: string; stream_version: string }>(UNCHAINED_ROWS, [limit]);
      const firstByStream = new Map<string, number>();
      for (const row of pending.rows)
        if (!firstByStream.has(row.stream_id)) firstByStream.set(row.stream_id, Number(row.stream_version));
      const streams: string[] = [];
      const versions: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const [streamId, first] of firstByStream) {
        const r = await tx.query<ChainRow>(READ_CHAIN, [streamId]);
        let prev: string | null = first === 1 ? GENESIS_HASH : null;
        for (const entry of r.rows.map(toEntry)) {
          if (entry.streamVersion < first) {
            prev = entry.hash;
            continue;
          }
          if (prev === null) break;
          if (entry.hash !== null) {
            prev = entry.hash;
            continue;
          }
          const hash = chainHash(prev, entry.streamVersion, entry);
          streams.push(streamId);
          versions.push(entry.streamVersion);
          prevs.push(prev);
          hashes.push(hash);
          prev = hash;
          if (streams.length >= limit) break;
        }
        if (streams.length >= limit) break;
      }
      if (streams.length === 0) return 0;
      const done = await tx.query(FILL_HASHES, [streams, versions, prevs, hashes]);
      return done.rowCount;
    });
  }

  async appendCheckpoint(
    payload: CheckpointPayload,
    signature: string,
    publicKey: string,
    changed: readonly StreamHead[],
  ): Promise<StoredCheckpoint> {
    const previous = (await this.checkpoints()).at(-1)?.id ?? null;
    return this.sql.transaction(async (tx) => {
      const r = await tx.query<{ id: string }>(INSERT_CHECKPOINT, [
        canonicalJson(payload),
        signature,
        publicKey,
        previous,
      ]);
      const row = r.rows[0];
      if (!row) throw new ConcurrentCheckpointError();
      const id = Number(row.id);
      if (changed.length > 0)
        await tx.query(INSERT_CHECKPOINT_HEADS, [
          id,
          changed.map((h) => h.streamId),
          changed.map((h) => h.version),
          changed.map((h) => h.hash),
        ]);
      return { id, payload, signature, publicKey };
    });
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    const r = await this.sql.query<{ id: string; payload: string; signature: string; public_key: string }>(
      CHECKPOINTS,
    );
    return r.rows.map((row) => ({
      id: Number(row.id),
      payload: JSON.parse(row.payload) as CheckpointPayload,
      signature: row.signature,
      publicKey: row.public_key,
    }));
  }

  async checkpointLeaves(id: number): Promise<StreamHead[]> {
    const r = await this.sql.query<{ stream_id: string; stream_version: string; hash: string }>(
      CHECKPOINT_LEAVES,
      [id],
    );
    return r.rows
      .map((row) => ({ streamId: row.stream_id, version: Number(row.stream_version), hash: row.hash }))
      .sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }
}
