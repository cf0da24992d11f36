import type { DossierState } from '@segur/domain';

/** A dossier's state folded ahead (of its deadline), valid while the stream is still at `version`. */
export interface PrefetchedState {
  version: number;
  state: DossierState;
}

/**
 * States folded ahead of time, offered to the many-dossiers pipeline inside a transaction: used
 * only for a stream whose version there is still the entry's (the same events, hence the same
 * state). Implemented by the worker's deadline prefetch.
 */
export interface PrefetchedStates {
  get(streamId: string): PrefetchedState | undefined;
  /** The streams' commands were decided: their entries are of no more use. */
  forget(streamIds: Iterable<string>): void;
  /** Counts the pipeline's use of the entries (bench, logs). */
  used(hits: number, stale: number): void;
}
