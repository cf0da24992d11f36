import type { EventStore } from '../event-store.port';

/** One stored event as the chain sees it: raw (never upcast), with its two hashes (hex). */
export interface ChainEntry {
  id: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  position: string;
  recordedAt: string;
  data: unknown;
  metadata: unknown;
  /** null: not chained yet (a store written before the chain, see `audit chain`). */
  prevHash: string | null;
  hash: string | null;
}

/** A stream's last event at a checkpoint: a leaf of its Merkle tree. */
export interface StreamHead {
  streamId: string;
  version: number;
  hash: string;
}

/** A signed checkpoint as stored (append-only) and published. */
export interface StoredCheckpoint {
  id: number;
  /** The signed statement (see checkpoint.ts), JCS text: what `signature` signs. */
  payload: CheckpointPayload;
  /** Ed25519 signature of the payload's JCS text, base64. */
  signature: string;
  /** SPKI PEM of the key that signed it. */
  publicKey: string;
}

export interface CheckpointPayload {
  format: 'segur-audit-checkpoint/1';
  /** Every event at or before this global position is covered. */
  position: string | null;
  /** Merkle root over the stream heads at `position` (hex). */
  root: string;
  streams: number;
  createdAt: string;
  /** Root of the previous checkpoint (null for the first): the checkpoints chain too. */
  previousRoot: string | null;
}

/**
 * What the audit reads from a store and writes beside it. Offered by the PostgreSQL/PGlite store
 * (see postgres-audit-log.ts), the EventStoreDB store (eventstoredb.audit-log.ts: the hashes in each
 * event's metadata, the checkpoints in a stream of their own) and the memory store (unit tests).
 */
export interface AuditLog {
  /** A stream's events in stream-version order, as stored. */
  readChain(streamId: string): Promise<ChainEntry[]>;
  /** Stream ids, in code-unit order, a page after `after` (exclusive). */
  streamIds(after: string | null, limit: number): Promise<string[]>;
  /** The last position visible to readers (nothing can ever appear at or before it). */
  headPosition(): Promise<string | null>;
  /**
   * The streams with events in (after, upTo], each with its head at upTo, in code-unit order.
   * Throws UnchainedEventsError when one of these heads has no hash yet.
   */
  headsBetween(after: string | null, upTo: string): Promise<StreamHead[]>;
  /** Events without hashes (written before the chain existed). */
  unchainedCount(): Promise<number>;
  /** Chains up to `limit` of them, each stream from its first unchained version; returns how many. */
  chainPending(limit: number): Promise<number>;
  /**
   * Set when this store can never chain events written before the chain (`chainPending` then
   * always returns 0): why, in French, for `audit chain` to say so.
   */
  readonly cannotChain?: string;
  /**
   * Stores a signed checkpoint and the heads that changed since the previous one (append-only):
   * with them, every checkpoint's full set of leaves can be read back (checkpointLeaves).
   */
  appendCheckpoint(
    payload: CheckpointPayload,
    signature: string,
    publicKey: string,
    changed: readonly StreamHead[],
  ): Promise<StoredCheckpoint>;
  /** Every checkpoint, oldest first. */
  checkpoints(): Promise<StoredCheckpoint[]>;
  /** Every stream's head as checkpoint `id` attests it, in code-unit order. */
  checkpointLeaves(id: number): Promise<StreamHead[]>;
}

export class UnchainedEventsError extends Error {
  /** `hint`: what to do about it, in French, when `audit chain` cannot help (EventStoreDB). */
  constructor(
    readonly streamId: string,
    hint = 'lancez « npm run cli -- audit chain » avant tout point de contrôle',
  ) {
    super(`Le flux ${streamId} a des événements non chaînés : ${hint}`);
    this.name = 'UnchainedEventsError';
  }
}

/** Another checkpoint was stored between reading the latest and storing this one. */
export class ConcurrentCheckpointError extends Error {
  constructor() {
    super('Un autre point de contrôle vient d’être enregistré : recommencez');
    this.name = 'ConcurrentCheckpointError';
  }
}

export interface AuditableStore {
  auditLog(): AuditLog;
}

export const isAuditable = (store: EventStore): store is EventStore & AuditableStore =>
  typeof (store as Partial<AuditableStore>).auditLog === 'function';

/** Code-unit order (JS `<`), the order of the Merkle leaves: never a database collation's. */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
