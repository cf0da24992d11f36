import {
  BACKWARDS,
  END,
  NO_STREAM,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { ExpectedVersion, NewEvent } from '../event-store.port';
import { chainLinkOf, chainLinks, withChainLink, type ChainLink } from './eventstoredb.audit';
import type { EsdbContext } from './eventstoredb.context';
import { isTransientError } from './eventstoredb.errors';
import { versionFromRevision } from './eventstoredb.mapping';

// The head a chained append builds on (docs/audit.md, "Where it is computed"): read from the
// leader, the links computed from its hash, and the append sent at its exact revision, so that two
// writers can never both chain onto the same head: the second one is refused by the server.

/**
 * Rounds of head read + append when the caller gave no concrete expected version ('any',
 * 'stream_exists') and other writers keep moving the head in between: beyond this, the stream is
 * too contended to chain and the append fails (ChainHeadContendedError) instead of spinning.
 */
export const CHAIN_RACE_ROUNDS = 10;

export interface ChainHead {
  /** Stream version of the head (0: no stream). */
  version: number;
  /** The revision to append at: the head's, or NO_STREAM. */
  revision: bigint | typeof NO_STREAM;
  /** The head's links; null when it has none (written before the chain) or there is no head. */
  link: ChainLink | null;
}

export class ChainHeadContendedError extends Error {
  constructor(
    readonly streamId: string,
    readonly rounds: number,
  ) {
    super(
      `Flux ${streamId} : sa tête a changé à chacune des ${rounds} tentatives d’écriture chaînée (autres écritures concurrentes) ; rien n’est écrit, recommencez`,
    );
    this.name = 'ChainHeadContendedError';
  }
}

export const headOf = (last: EsdbRecordedEvent | undefined): ChainHead =>
  last === undefined
    ? { version: 0, revision: NO_STREAM, link: null }
    : { version: versionFromRevision(last.revision), revision: last.revision, link: chainLinkOf(last) };

/**
 * The stream's last event, raw (its `$audit` links), from the leader: a follower may lag, and links
 * computed from a stale head would be refused at its revision round after round. Retried after a
 * transient failure like the read-back.
 */
export const readChainHead = async (ctx: EsdbContext, streamId: string): Promise<ChainHead> => {
  for (let attempt = 1; ; attempt++) {
    try {
      const [last] = await ctx.collectRaw(streamId, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
        requiresLeader: true,
      });
      return headOf(last);
    } catch (error) {
      if (!isTransientError(error) || attempt >= ctx.appendAttempts) throw error;
    }
    await ctx.pause(attempt);
  }
};

/** Whether a head is what a concrete expected version asks for (the other kinds ask nothing of it). */
export const headMeets = (head: ChainHead, expected: ExpectedVersion): boolean => {
  if (expected === 'any') return true;
  if (expected === 'stream_exists') return head.version > 0;
  if (expected === 'no_stream') return head.version === 0;
  return head.version === expected;
};

/**
 * `data` with each event's links after `head`. A head without links (a stream written before the
 * chain, or with the chain off) cannot be extended: the events go unchained, as they would have
 * before, and the verifier reports the stream as `non-chaine`.
 */
export const chainedData = (
  streamId: string,
  head: ChainHead,
  events: ReadonlyArray<NewEvent & { id: string }>,
  data: readonly EventData[],
): EventData[] => {
  if (head.version > 0 && head.link === null) return [...data];
  const links = chainLinks(streamId, head.version, head.link?.hash ?? null, events);
  return data.map((d, i) => withChainLink(d, links[i] as ChainLink));
};
