import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { Projection } from './projection';

/**
 * The rebuild's fast path, which a projection may add to `Projection` (rebuild-all.ts): without it,
 * a rebuild reads every event whole and applies each batch in a transaction with its checkpoint,
 * as the live runner does.
 */
export interface RebuildCapability {
  /**
   * The keys of `event.metadata` it reads. When every projection of a rebuild declares them, the
   * rebuild reads only their union from the store (metadata is a good share of the JSON a rebuild
   * reads): a key read but not declared would be missing there. The rebuild specs compare each
   * projection's rebuilt rows with those of its live runner.
   */
  readonly metadataKeys: readonly string[];
  /**
   * Optional: a session holding rows in memory across batches, written once per flush instead of
   * once per batch. Only a rebuild may use it, because a shadow schema's tables belong to the
   * rebuild alone (nothing else writes rows the session holds).
   */
  replaySession?(options?: ReplaySessionOptions): ReplaySession;
}

export type RebuildableProjection = Projection & RebuildCapability;

/** Whether `projection` declares the rebuild's fast path (its metadata keys, and maybe a session). */
export const isRebuildable = (projection: Projection): projection is RebuildableProjection =>
  Array.isArray((projection as Partial<RebuildCapability>).metadataKeys);

export interface ReplaySessionOptions {
  /**
   * The shadow tables were created empty for this replay (not resumed): a dossier the session never
   * wrote has no row, so it need not be looked up.
   */
  empty: boolean;
  /**
   * With `empty`: where sessions record the dossiers they forgot (`trim`), which are the only ones
   * besides those they hold that may have rows. Shared by a rebuild's sessions, so it is held once:
   * a dossier only another session forgot costs a lookup that finds nothing, never a wrong row.
   */
  forgotten?: Set<string>;
}

/**
 * A rebuild's in-memory fold of one projection. `apply` folds a batch grouped by dossier, loading
 * the rows it does not hold; `takeWrites` takes every change since
 * the last call, at once, and returns their write (run in the caller's transaction, next to the
 * shadow checkpoint), so the rebuild folds the next batches while it runs; once it committed, `trim`
 * forgets the least recently touched rows beyond a bound. `trim` never runs during an `apply`.
 *
 * Optionally, the rebuild tells the session which dossiers get no more events before its target
 * (`finish`): their rows can then be written once, ahead of the shadow checkpoint (`takeFinished`),
 * and forgotten, instead of being held until the next checkpoint or rewritten at every one. A row
 * ahead of the checkpoint is harmless on a resume: the folds' stream-version guards skip the events
 * it already holds. `finish` is only a hint: a dossier that gets an event after all is folded on
 * from what the session (or, once written and trimmed, the shadow table) holds.
 */
export interface ReplaySession {
  /** Dossiers held in memory. */
  readonly size: number;
  /**
   * Folds a batch grouped by dossier (`groupByDossier`: dossier streams only, each group in order),
   * not filtered: only the events of `types` count (null: all). A rebuild groups each batch once
   * for all its sessions.
   */
  apply(
    tx: SqlExecutor,
    groups: ReadonlyMap<string, readonly RecordedEvent[]>,
    types: ReadonlySet<string> | null,
  ): Promise<void>;
  takeWrites(): (tx: SqlExecutor) => Promise<void>;
  trim(keep: number): void;
  /** The dossiers (numéros ASP) whose streams have no more events up to the rebuild's target. */
  finish?(numeroAsps: Iterable<string>): void;
  /** Rows of finished dossiers waiting for `takeFinished`. */
  readonly finishedPending?: number;
  /**
   * Takes the changes of finished dossiers only; `complete` when nothing else is left unwritten (the
   * shadow checkpoint may then move with this write).
   */
  takeFinished?(): { write: (tx: SqlExecutor) => Promise<void>; complete: boolean };
}
