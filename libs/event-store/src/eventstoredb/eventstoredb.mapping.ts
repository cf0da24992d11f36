import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AppendExpectedRevision,
  type CurrentRevision,
  type EventData,
  type JSONType,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  WrongExpectedVersionError,
  type EventMetadata,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { encodePosition } from './eventstoredb.position';

// Our versions are 1-based stream lengths; ESDB revisions are 0-based indexes of the last event.

export const toExpectedRevision = (expected: ExpectedVersion): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
  }
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`Version attendue invalide : ${expected} (entier >= 0 attendu)`);
  }
  return expected === 0 ? NO_STREAM : BigInt(expected - 1);
};

export const fromExpectedRevision = (revision: AppendExpectedRevision): ExpectedVersion => {
  switch (revision) {
    case NO_STREAM:
      return 'no_stream';
    case ANY:
      return 'any';
    case STREAM_EXISTS:
      return 'stream_exists';
    default:
      return versionFromRevision(revision);
  }
};

/** Stream version after the event at `revision`; a missing stream (or the client's -1) is 0. */
export const versionFromRevision = (revision: CurrentRevision): number => {
  if (revision === NO_STREAM || revision < 0n) return 0;
  const version = revision + 1n;
  if (version > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Révision EventStoreDB ${revision} au-delà des entiers sûrs`);
  }
  return Number(version);
};

/** ESDB revision of the event carrying `version` (>= 1). */
export const revisionFromVersion = (version: number): bigint => {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new RangeError(`Version de flux invalide : ${version} (entier >= 1 attendu)`);
  }
  return BigInt(version - 1);
};

/**
 * Envelope fields ESDB has no slot for travel in the event's metadata JSON, beside the caller's
 * metadata. `$correlationId` / `$causationId` are the names ESDB's own `$by_correlation_id`
 * projection reads, so the cluster can group a command's events without knowing our schema.
 */
interface StoredMetadata extends EventMetadata {
  schemaVersion: number;
  recordedAt: string;
  $correlationId?: string;
  $causationId?: string;
}

const ENVELOPE_KEYS = ['schemaVersion', 'recordedAt', '$correlationId', '$causationId', '$audit'] as const;

export const toEventData = (event: NewEvent, id: string, recordedAt: string): EventData => {
  const metadata: StoredMetadata = {
    ...event.metadata,
    schemaVersion: event.schemaVersion ?? 1,
    recordedAt,
    $correlationId: event.metadata.correlationId,
    ...(event.metadata.causationId === null ? {} : { $causationId: event.metadata.causationId }),
  };
  return {
    id,
    contentType: 'application/json',
    type: event.type,
    // The client JSON.stringify-s whatever it is given; its JSONType only narrows what it advertises.
    data: event.data as JSONType,
    metadata: metadata as unknown as JSONType,
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/**
 * Events written by other producers (no envelope, binary payloads) still map, so a foreign event in
 * `$all` cannot stop a subscriber: missing fields fall back to what ESDB itself recorded.
 */
export const toRecordedEvent = (event: EsdbRecordedEvent): RecordedEvent => {
  if (!event.position) {
    throw new Error(
      `EventStoreDB n'a pas renvoyé la position de l'événement ${event.id} : serveur >= 22.6 requis`,
    );
  }
  const stored = isRecord(event.metadata) ? { ...event.metadata } : {};
  const schemaVersion = typeof stored.schemaVersion === 'number' ? stored.schemaVersion : 1;
  const recordedAt = typeof stored.recordedAt === 'string' ? stored.recordedAt : event.created.toISOString();
  for (const key of ENVELOPE_KEYS) delete stored[key];
  const metadata: EventMetadata = isEventMetadata(stored)
    ? stored
    : { ...stored, actor: { id: 'inconnu', role: 'inconnu' }, correlationId: event.id, causationId: null };
  return {
    id: event.id,
    type: event.type,
    schemaVersion,
    streamId: event.streamId,
    streamVersion: versionFromRevision(event.revision),
    position: encodePosition(event.position),
    recordedAt,
    data: event.data,
    metadata,
  };
};

const isEventMetadata = (value: Record<string, unknown>): value is EventMetadata =>
  isRecord(value.actor) && typeof value.correlationId === 'string' && 'causationId' in value;

/** Our conflict error from ESDB's, or null when `error` is something else. */
export const toWrongExpectedVersionError = (
  error: unknown,
  streamId: string,
  expected: ExpectedVersion,
): WrongExpectedVersionError | null =>
  error instanceof EsdbWrongExpectedVersionError
    ? new WrongExpectedVersionError(streamId, expected, versionFromRevision(error.actualVersion))
    : null;
