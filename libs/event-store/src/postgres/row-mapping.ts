import type { AppendResult, EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { eventIdOf, schemaVersionOf } from '../expected-version';
import { toIso } from '@segur/kernel';
import type { Upcasters } from '../upcasters';
import { canonicalJson, digestOfCanonical } from '../audit/chain-hash';
import { encodePosition } from './postgres.position';

/** A row of READ_STREAM, READ_STREAMS or READ_ALL_FILTERED (EVENT_COLUMNS). */
export interface EventRow {
  tx: string;
  global_position: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_ms: string;
}

/** A row an append statement returns (RETURNING). */
export interface AppendedRow {
  tx: string;
  global_position: string;
  stream_id?: string;
  stream_version: string;
  recorded_at: Date | string;
}

/** A new event as the append statements take it. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  /** JSON text: serialised once here, cast to jsonb by PostgreSQL. */
  data: string;
  metadata: string;
  /** eventDigest, hex: the es_events_chain trigger links it into the hash; null: left unchained. */
  digest: string | null;
  source: NewEvent;
}

/** New events of `streamId` as the append statements take them; `chained` false: no digest (bench only). */
export const preparer =
  (streamId: string, chained: boolean) =>
  (event: NewEvent): PreparedEvent => {
    const id = eventIdOf(event);
    const schemaVersion = schemaVersionOf(event);
    if (!chained)
      return {
        id,
        type: event.type,
        schemaVersion,
        data: JSON.stringify(event.data ?? null),
        metadata: JSON.stringify(event.metadata),
        digest: null,
        source: event,
      };
    // The canonical texts are what is stored (jsonb reorders keys anyway) and what is hashed.
    const data = canonicalJson(event.data ?? null);
    const metadata = canonicalJson(event.metadata);
    return {
      id,
      type: event.type,
      schemaVersion,
      data,
      metadata,
      digest: digestOfCanonical(streamId, id, event.type, schemaVersion, data, metadata),
      source: event,
    };
  };

/** Rows into recorded events, upcast: one per store, which owns its recorded-at cache. */
export class RowMapping {
  constructor(readonly upcasters: Upcasters) {}

  // The events of one transaction share recorded_at (now() is the transaction's start time), and a
  // page lists them one after the other: the last instant formatted is reused (Date and
  // toISOString per event are measurable on a rebuild's million events).
  private lastRecordedMs = '';
  private lastRecordedAt = '';

  recordedAtOf(recordedMs: string): string {
    if (recordedMs !== this.lastRecordedMs) {
      this.lastRecordedAt = new Date(Number(recordedMs)).toISOString();
      this.lastRecordedMs = recordedMs;
    }
    return this.lastRecordedAt;
  }

  readonly toEvent = (row: EventRow): RecordedEvent =>
    this.upcasters.upcast({
      id: row.event_id,
      type: row.event_type,
      schemaVersion: row.schema_version,
      streamId: row.stream_id,
      streamVersion: Number(row.stream_version),
      position: encodePosition(row.tx, row.global_position),
      recordedAt: this.recordedAtOf(row.recorded_ms),
      data: row.data,
      metadata: row.metadata,
    });

  /** One stream's append as recorded: `rows` (any order) are the rows inserted for `prepared`. */
  appendResult(streamId: string, prepared: PreparedEvent[], rows: AppendedRow[]): AppendResult {
    const sorted =
      rows.length > 1 ? [...rows].sort((a, b) => Number(a.stream_version) - Number(b.stream_version)) : rows;
    const events = sorted.map((row, k) => {
      const e = prepared[k] as PreparedEvent;
      return this.upcasters.upcast({
        id: e.id,
        type: e.type,
        schemaVersion: e.schemaVersion,
        streamId,
        streamVersion: Number(row.stream_version),
        position: encodePosition(row.tx, row.global_position),
        recordedAt: toIso(row.recorded_at),
        data: e.source.data,
        metadata: e.source.metadata,
      });
    });
    const last = events.at(-1) as RecordedEvent;
    return { streamId, nextExpectedVersion: last.streamVersion, lastPosition: last.position, events };
  }
}
