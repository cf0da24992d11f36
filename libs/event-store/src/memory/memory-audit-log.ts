import {
  ConcurrentCheckpointError,
  byCodeUnits,
  type AuditLog,
  type ChainEntry,
  type CheckpointPayload,
  type StoredCheckpoint,
  type StreamHead,
} from '../audit/audit-log.port';
import type { RecordedEvent } from '../event-store.port';

/** What the memory store keeps of its events for the audit: each with its two hashes. */
export interface ChainedRecord {
  event: RecordedEvent;
  prevHash: string;
  hash: string;
}

/** The audit log of the memory store (unit tests): the same contract as PostgresAuditLog. */
export class MemoryAuditLog implements AuditLog {
  private readonly stored: Array<{ checkpoint: StoredCheckpoint; changed: StreamHead[] }> = [];

  constructor(
    private readonly log: readonly ChainedRecord[],
    private readonly streams: ReadonlyMap<string, readonly ChainedRecord[]>,
  ) {}

  async readChain(streamId: string): Promise<ChainEntry[]> {
    return (this.streams.get(streamId) ?? []).map(({ event, prevHash, hash }) => ({
      id: event.id,
      type: event.type,
      schemaVersion: event.schemaVersion,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      position: event.position,
      recordedAt: event.recordedAt,
      data: event.data,
      metadata: event.metadata,
      prevHash,
      hash,
    }));
  }

  async streamIds(after: string | null, limit: number): Promise<string[]> {
    return [...this.streams.keys()]
      .sort(byCodeUnits)
      .filter((id) => after === null || id > after)
      .slice(0, limit);
  }

  async headPosition(): Promise<string | null> {
    return this.log.at(-1)?.event.position ?? null;
  }

  async headsBetween(after: string | null, upTo: string): Promise<StreamHead[]> {
    const heads = new Map<string, StreamHead>();
    for (const { event, hash } of this.log)
      if ((after === null || event.position > after) && event.position <= upTo)
        heads.set(event.streamId, { streamId: event.streamId, version: event.streamVersion, hash });
    return [...heads.values()].sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }

  async unchainedCount(): Promise<number> {
    return 0;
  }

  async chainPending(): Promise<number> {
    return 0;
  }

  async appendCheckpoint(
    payload: CheckpointPayload,
    signature: string,
    publicKey: string,
    changed: readonly StreamHead[],
  ): Promise<StoredCheckpoint> {
    if (payload.previousRoot !== (this.stored.at(-1)?.checkpoint.payload.root ?? null))
      throw new ConcurrentCheckpointError();
    const checkpoint = { id: this.stored.length + 1, payload, signature, publicKey };
    this.stored.push({ checkpoint, changed: [...changed] });
    return checkpoint;
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return this.stored.map((s) => s.checkpoint);
  }

  async checkpointLeaves(id: number): Promise<StreamHead[]> {
    const heads = new Map<string, StreamHead>();
    for (const s of this.stored.slice(0, id)) for (const h of s.changed) heads.set(h.streamId, h);
    return [...heads.values()].sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }
}
