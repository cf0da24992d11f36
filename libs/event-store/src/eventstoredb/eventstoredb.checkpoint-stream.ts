import type { EventData, JSONType, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { v7 as uuidv7 } from 'uuid';
import type { CheckpointPayload, StoredCheckpoint, StreamHead } from '../audit/audit-log.port';
import { canonicalJson } from '../audit/chain-hash';

// The signed checkpoints of the audit trail on EventStoreDB (docs/audit.md): one event per
// checkpoint, appended at the stream's exact revision, in a stream of their own that no reader of
// the log ever sees (eventstoredb.filter.ts): they are about the log, not part of it.

/** A normal stream (a `$` stream would need admin rights to write), hidden from every log reader. */
export const AUDIT_CHECKPOINT_STREAM = 'segur-audit-checkpoints';
export const AUDIT_CHECKPOINT_TYPE = 'AuditCheckpointSigned';

/** A checkpoint as its event holds it: with the heads that changed since the previous one. */
export interface CheckpointRecord {
  checkpoint: StoredCheckpoint;
  changed: StreamHead[];
}

interface CheckpointEventData {
  id: number;
  /** The signed statement's JCS text, exactly what the signature covers. */
  payload: string;
  signature: string;
  publicKey: string;
  changed: StreamHead[];
}

export const toCheckpointEventData = (
  id: number,
  payload: CheckpointPayload,
  signature: string,
  publicKey: string,
  changed: readonly StreamHead[],
  recordedAt: string,
): EventData => {
  const data: CheckpointEventData = {
    id,
    payload: canonicalJson(payload),
    signature,
    publicKey,
    changed: changed.map((h) => ({ streamId: h.streamId, version: h.version, hash: h.hash })),
  };
  return {
    id: uuidv7(),
    contentType: 'application/json',
    type: AUDIT_CHECKPOINT_TYPE,
    data: data as unknown as JSONType,
    metadata: { recordedAt },
  };
};

const isHead = (value: unknown): value is StreamHead => {
  const h = value as Partial<StreamHead> | null;
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.streamId === 'string' &&
    typeof h.version === 'number' &&
    typeof h.hash === 'string'
  );
};

/** A checkpoint event read back; an event of another shape in this stream is an error, not skipped. */
export const fromCheckpointEvent = (event: EsdbRecordedEvent): CheckpointRecord => {
  const data = event.data as Partial<CheckpointEventData> | null;
  if (
    event.type !== AUDIT_CHECKPOINT_TYPE ||
    typeof data !== 'object' ||
    data === null ||
    typeof data.id !== 'number' ||
    typeof data.payload !== 'string' ||
    typeof data.signature !== 'string' ||
    typeof data.publicKey !== 'string' ||
    !Array.isArray(data.changed) ||
    !data.changed.every(isHead)
  )
    throw new Error(
      `Événement ${event.id} (${event.type}) du flux ${AUDIT_CHECKPOINT_STREAM} illisible : ce n’est pas un point de contrôle`,
    );
  return {
    checkpoint: {
      id: data.id,
      payload: JSON.parse(data.payload) as CheckpointPayload,
      signature: data.signature,
      publicKey: data.publicKey,
    },
    changed: data.changed,
  };
};
