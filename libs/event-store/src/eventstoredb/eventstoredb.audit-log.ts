import {
  FORWARDS,
  NO_STREAM,
  START,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
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
import { chainLinkOf, toChainEntry } from './eventstoredb.audit';
import {
  AUDIT_CHECKPOINT_STREAM,
  fromCheckpointEvent,
  toCheckpointEventData,
  type CheckpointRecord,
} from './eventstoredb.checkpoint-stream';
import type { EsdbContext } from './eventstoredb.context';
import { versionFromRevision } from './eventstoredb.mapping';
import { encodePosition } from './eventstoredb.position';
import { headPosition, scanAll } from './eventstoredb.read-all';

/** ESDB events are immutable: a stream written before the chain can never be chained afterwards. */
export const ESDB_CANNOT_CHAIN =
  'EventStoreDB : les événements sont immuables, ceux écrits avant la chaîne de hachage ne peuvent pas être chaînés après coup ; les flux qui en contiennent restent non chaînés, et aucun point de contrôle ne peut couvrir le journal (docs/audit.md, « Limits »)';

const UNCHAINED_HINT =
  'écrits sur EventStoreDB avant la chaîne de hachage, ils ne peuvent plus être chaînés (événements immuables) : aucun point de contrôle possible sur ce journal (docs/audit.md, « Limits »)';

/**
 * The audit log of the EventStoreDB store. The chain is read from each event's `$audit` metadata;
 * the checkpoints are events of AUDIT_CHECKPOINT_STREAM, appended at that stream's exact revision
 * (a concurrent checkpoint is refused by the server) and hidden from every reader of the log. ESDB
 * lists no streams without its system projections: stream ids and heads come from scanning `$all`.
 * Every read goes to the leader, so that a checkpoint never attests a follower's stale view.
 */
export class EventStoreDbAuditLog implements AuditLog {
  readonly cannotChain = ESDB_CANNOT_CHAIN;
  /** Stream ids seen in `$all` up to `scannedUpTo`: `verify --all` asks page after page. */
  private readonly known = new Set<string>();
  private scannedUpTo: string | null = null;

  constructor(private readonly ctx: EsdbContext) {}

  async readChain(streamId: string): Promise<ChainEntry[]> {
    const raw = await this.ctx.collectRaw(streamId, {
      fromRevision: START,
      direction: FORWARDS,
      requiresLeader: true,
    });
    return raw.map(toChainEntry);
  }

  async streamIds(after: string | null, limit: number): Promise<string[]> {
    for await (const event of scanAll(this.ctx, this.scannedUpTo)) {
      this.known.add(event.streamId);
      this.scannedUpTo = encodePosition(event.position);
    }
    return [...this.known]
      .sort(byCodeUnits)
      .filter((id) => after === null || id > after)
      .slice(0, limit);
  }

  headPosition(): Promise<string | null> {
    return headPosition(this.ctx, { requiresLeader: true });
  }

  async headsBetween(after: string | null, upTo: string): Promise<StreamHead[]> {
    const last = new Map<string, EsdbRecordedEvent>();
    for await (const event of scanAll(this.ctx, after, upTo)) last.set(event.streamId, event);
    return [...last.values()]
      .map((event): StreamHead => {
        const link = chainLinkOf(event);
        if (link === null) throw new UnchainedEventsError(event.streamId, UNCHAINED_HINT);
        return { streamId: event.streamId, version: versionFromRevision(event.revision), hash: link.hash };
      })
      .sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }

  async unchainedCount(): Promise<number> {
    let count = 0;
    for await (const event of scanAll(this.ctx, null)) if (chainLinkOf(event) === null) count++;
    return count;
  }

  /** Nothing can be chained after the fact on ESDB: see `cannotChain`. */
  async chainPending(): Promise<number> {
    return 0;
  }

  async appendCheckpoint(
    payload: CheckpointPayload,
    signature: string,
    publicKey: string,
    changed: readonly StreamHead[],
  ): Promise<StoredCheckpoint> {
    const { records, revision } = await this.read();
    const last = records.at(-1);
    // The statement must extend the checkpoint it was built on; the expected revision below then
    // makes sure no other one was stored since that read.
    if (payload.previousRoot !== (last?.checkpoint.payload.root ?? null))
      throw new ConcurrentCheckpointError();
    const id = (last?.checkpoint.id ?? 0) + 1;
    const data = toCheckpointEventData(
      id,
      payload,
      signature,
      publicKey,
      changed,
      this.ctx.clock().toISOString(),
    );
    try {
      const result = await this.ctx.client.appendToStream(AUDIT_CHECKPOINT_STREAM, [data], {
        expectedRevision: revision,
      });
      if (!result.success) throw new ConcurrentCheckpointError();
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) throw new ConcurrentCheckpointError();
      throw error;
    }
    return { id, payload, signature, publicKey };
  }

  async checkpoints(): Promise<StoredCheckpoint[]> {
    return (await this.read()).records.map((r) => r.checkpoint);
  }

  async checkpointLeaves(id: number): Promise<StreamHead[]> {
    const heads = new Map<string, StreamHead>();
    for (const r of (await this.read()).records)
      if (r.checkpoint.id <= id) for (const h of r.changed) heads.set(h.streamId, h);
    return [...heads.values()].sort((a, b) => byCodeUnits(a.streamId, b.streamId));
  }

  /** The checkpoints, oldest first, and the revision the next one must be appended at. */
  private async read(): Promise<{ records: CheckpointRecord[]; revision: bigint | typeof NO_STREAM }> {
    const raw = await this.ctx.collectRaw(AUDIT_CHECKPOINT_STREAM, {
      fromRevision: START,
      direction: FORWARDS,
      requiresLeader: true,
    });
    return { records: raw.map(fromCheckpointEvent), revision: raw.at(-1)?.revision ?? NO_STREAM };
  }
}
