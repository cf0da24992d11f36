import type { EventData, JSONType, RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { GENESIS_HASH, chainHash } from '../audit/chain-hash';
import type { ChainEntry } from '../audit/audit-log.port';
import type { NewEvent } from '../event-store.port';
import { schemaVersionOf } from '../expected-version';
import { toRecordedEvent } from './eventstoredb.mapping';

// The hash chain on EventStoreDB (docs/audit.md): ESDB has no column for it, so each event's links
// travel in its metadata under `$audit`, beside the envelope fields; the hash covers the caller's
// metadata only (what toRecordedEvent gives back), so it is the same hash the other adapters compute.

export interface ChainLink {
  prevHash: string;
  hash: string;
}

const AUDIT_KEY = '$audit';

/**
 * The links of events appended after a stream's head (`headVersion`, 0: no stream; `headHash`, its
 * hash, null for none): each event's hash from its predecessor's, as the SQL trigger does.
 */
export const chainLinks = (
  streamId: string,
  headVersion: number,
  headHash: string | null,
  events: ReadonlyArray<NewEvent & { id: string }>,
): ChainLink[] => {
  let prev = headVersion === 0 ? GENESIS_HASH : headHash;
  if (prev === null) throw new Error(`Tête du flux ${streamId} non chaînée : chaîne impossible à prolonger`);
  return events.map((event, i) => {
    const hash = chainHash(prev as string, headVersion + i + 1, {
      streamId,
      id: event.id,
      type: event.type,
      schemaVersion: schemaVersionOf(event),
      data: event.data,
      metadata: event.metadata,
    });
    const link = { prevHash: prev as string, hash };
    prev = hash;
    return link;
  });
};

/** `toEventData`'s output with the event's links added to its metadata. */
export const withChainLink = (data: EventData, link: ChainLink): EventData => ({
  ...data,
  metadata: { ...(data.metadata as Record<string, JSONType>), [AUDIT_KEY]: { ...link } },
});

/** The links an ESDB event carries, or null (written before the chain, or by another producer). */
export const chainLinkOf = (event: EsdbRecordedEvent): ChainLink | null => {
  const meta = event.metadata as Record<string, unknown> | undefined;
  const link =
    meta && typeof meta === 'object' ? (meta[AUDIT_KEY] as Partial<ChainLink> | undefined) : undefined;
  return typeof link?.prevHash === 'string' && typeof link.hash === 'string'
    ? { prevHash: link.prevHash, hash: link.hash }
    : null;
};

/** An ESDB event as the audit verifier reads it: mapped as every reader sees it, with its links. */
export const toChainEntry = (event: EsdbRecordedEvent): ChainEntry => {
  const recorded = toRecordedEvent(event);
  const link = chainLinkOf(event);
  return {
    ...recorded,
    metadata: recorded.metadata,
    prevHash: link?.prevHash ?? null,
    hash: link?.hash ?? null,
  };
};
