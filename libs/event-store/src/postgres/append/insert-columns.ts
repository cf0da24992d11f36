import { GENESIS_HASH, linkHash } from '../../audit/chain-hash';
import type { PreparedEvent } from '../row-mapping';

/**
 * The parameters of the multi-row inserts (APPEND_GROUP, INSERT_EVENTS, INSERT_EVENTS_CHECKED: $1 to
 * $10), filled stream by stream: one array per column, and the JSON columns as one JSON array text
 * each (see postgres.sql.ts for why).
 */
export class InsertColumns {
  private readonly streams: string[] = [];
  private readonly versions: number[] = [];
  private readonly ids: string[] = [];
  private readonly types: string[] = [];
  private readonly schemaVersions: number[] = [];
  private readonly data: string[] = [];
  private readonly metadata: string[] = [];
  private readonly expected: number[] = [];
  private readonly digests: Array<string | null> = [];
  private readonly prevs: Array<string | null> = [];

  /**
   * `checked`: every row carries the version its stream must be at ($8); else $8 stays empty.
   * `chained`: every row carries its event digest ($9, see the es_events_chain trigger) and prev_hash
   * ($10); else both are null.
   */
  constructor(
    private readonly checked: boolean,
    private readonly chained: boolean,
  ) {}

  /**
   * One stream's events, written as versions `from` + 1, `from` + 2… A new stream (`from` 0) is
   * chained here, from the genesis hash: its version-1 row can only go in at version 1, and its
   * other rows go in with it or not at all, so nothing read from the database could differ; the
   * rows come with prev_hash and hash set and the trigger skips them (its plpgsql call and index
   * probe per row were most of the chain's cost on bulk imports of new dossiers). On an existing
   * stream each row carries its digest and the trigger links it.
   */
  add(streamId: string, from: number, events: readonly PreparedEvent[]): void {
    let prev: string | null = from === 0 ? GENESIS_HASH : null;
    events.forEach((e, k) => {
      this.streams.push(streamId);
      this.versions.push(from + k + 1);
      this.ids.push(e.id);
      this.types.push(e.type);
      this.schemaVersions.push(e.schemaVersion);
      this.data.push(e.data);
      this.metadata.push(e.metadata);
      if (this.checked) this.expected.push(from);
      if (this.chained) {
        if (prev !== null && e.digest !== null) {
          const hash = linkHash(prev, from + k + 1, e.digest);
          this.prevs.push(prev);
          this.digests.push(hash);
          prev = hash;
        } else {
          this.prevs.push(null);
          this.digests.push(e.digest);
        }
      }
    });
  }

  params(): unknown[] {
    return [
      this.streams,
      this.versions,
      this.ids,
      this.types,
      this.schemaVersions,
      `[${this.data.join(',')}]`,
      `[${this.metadata.join(',')}]`,
      this.expected,
      this.chained ? this.digests : null,
      this.chained ? this.prevs : null,
    ];
  }
}
