import {
  dossierStreamId,
  foldDossier,
  type DossierDecider,
  type DossierEvent,
  type DossierState,
} from '@segur/domain';
import {
  joinsTransactions,
  type EventStore,
  type RecordedEvent,
  type SqlExecutor,
  type StoreTransaction,
  type StreamToDecide,
} from '@segur/event-store';
import type { PrefetchedStates } from './prefetched-states';

/** A dossier as a decision needs it: its state and the stream version that state was folded at. */
export interface LoadedDossier {
  state: DossierState;
  version: number;
}

/** The events a fold reads: type and data (a recorded event is one). */
type Foldable = ReadonlyArray<{ type: string; data: unknown }>;

/** The one fold of a stream into a decidable state: the domain's, with the pipeline's decider. */
export const foldEvents = (decider: DossierDecider, events: Foldable): DossierState =>
  foldDossier(events as readonly DossierEvent[], decider);

/** One dossier's whole stream, read and folded. */
export const loadDossier = async (
  store: EventStore,
  decider: DossierDecider,
  numeroAsp: string,
): Promise<LoadedDossier & { events: RecordedEvent[] }> => {
  const events = await store.readStream(dossierStreamId(numeroAsp));
  return { state: foldEvents(decider, events), version: events.at(-1)?.streamVersion ?? 0, events };
};

/**
 * Many streams as a fold needs them. A store on this SQL database reads only type, data and
 * version (no metadata, positions nor dates decoded: a large share of the read's CPU, and 20,000
 * events are read for a 10,000-line solde file); it offers that read on an executor it joins, and
 * one auto-committed SELECT on the pool is such an executor for a read. Others read whole events.
 */
export const readStreamsToDecide = async (
  store: EventStore,
  on: SqlExecutor,
  streamIds: readonly string[],
): Promise<Map<string, StreamToDecide>> => {
  if (joinsTransactions(store)) return store.joinTransaction(on).readStreamsToDecide(streamIds);
  const out = new Map<string, StreamToDecide>();
  for (const [id, events] of await store.readStreams(streamIds))
    out.set(id, { version: events.at(-1)?.streamVersion ?? 0, events });
  return out;
};

/**
 * Each stream's state in a transaction the caller holds: a state folded ahead at the stream's
 * current version (one index step per stream, no event data) or, for the others, the events folded
 * now. Both reads register the versions with the transaction, so the append that follows expects
 * exactly them (and takes the light insert): a stream that moves after this read conflicts as usual.
 */
export const loadInTransaction = async (
  decider: DossierDecider,
  joined: StoreTransaction,
  streamIds: readonly string[],
  prefetched: PrefetchedStates | undefined,
): Promise<Map<string, LoadedDossier>> => {
  const out = new Map<string, LoadedDossier>();
  const held = prefetched ? streamIds.filter((id) => prefetched.get(id) !== undefined) : [];
  if (prefetched && held.length > 0) {
    const versions = await joined.readStreamVersions(held);
    let stale = 0;
    for (const id of held) {
      const entry = prefetched.get(id);
      if (entry && versions.get(id) === entry.version) out.set(id, entry);
      else stale += 1;
    }
    prefetched.used(out.size, stale);
  }
  const rest = out.size === 0 ? streamIds : streamIds.filter((id) => !out.has(id));
  if (rest.length > 0)
    for (const [id, s] of await joined.readStreamsToDecide(rest))
      out.set(id, { state: foldEvents(decider, s.events), version: s.version });
  return out;
};
