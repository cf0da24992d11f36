import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { ReplaySession } from '../projection';
import { groupByDossier } from './by-dossier';

/**
 * A read model folded per dossier: what it loads for some dossiers, what a dossier's events make of
 * its state, how changed states are written. `applyBatch` (one batch) and a rebuild's replay
 * session (many batches, one write per dossier per flush) run the same three functions.
 */
export interface DossierFold<S, X = never> {
  load(tx: SqlExecutor, keys: readonly string[]): Promise<Map<string, S>>;
  /**
   * The state after one dossier's `events` (in order), or undefined when they change nothing. Writes
   * that are not the state (e.g. reporting's rounds) are pushed to `extra`, in order.
   */
  fold(state: S | undefined, numeroAsp: string, events: readonly RecordedEvent[], extra: X[]): S | undefined;
  write(tx: SqlExecutor, changed: readonly S[], extra: readonly X[]): Promise<void>;
}

/** One batch: load the touched dossiers, fold, write what changed. */
export const applyFold = async <S, X>(
  fold: DossierFold<S, X>,
  tx: SqlExecutor,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const groups = groupByDossier(events);
  if (groups.size === 0) return;
  const loaded = await fold.load(tx, [...groups.keys()]);
  const changed: S[] = [];
  const extra: X[] = [];
  for (const [numeroAsp, group] of groups) {
    const next = fold.fold(loaded.get(numeroAsp), numeroAsp, group, extra);
    if (next !== undefined) changed.push(next);
  }
  await fold.write(tx, changed, extra);
};

// A flush can hold tens of thousands of dossiers: written in slices, so one statement's JSON
// parameter stays a few MB.
const WRITE_SLICE = 2_000;

const NOTHING_LOADED: ReadonlyMap<string, never> = new Map<string, never>();

/** The replay session of a per-dossier fold (see `ReplaySession`). */
export class FoldSession<S, X> implements ReplaySession {
  /**
   * Dossiers still getting events. Map order is first seen, so `trim` drops the oldest first: a
   * least-recently-used order (delete and re-insert on every touch) cost ~1 s more CPU per million
   * events, and finished dossiers leave anyway, so what is left held are the long-running ones.
   */
  private readonly held = new Map<string, S>();
  /**
   * Dossiers `finish`ed: the dirty ones wait for `takeFinished` (`ready`), the clean ones for the
   * next `trim`, which only runs once the flush that may be writing them committed (a dossier
   * forgotten earlier would be loaded back from a table that does not hold it yet).
   */
  private readonly finished = new Map<string, S>();
  private readonly ready = new Set<string>();
  private readonly dirty = new Set<string>();
  /** Writes that are not the state, per dossier and in order (a partial write takes some dossiers'). */
  private extras = new Map<string, X[]>();
  private readonly scratch: X[] = [];

  constructor(private readonly fold: DossierFold<S, X>) {}

  get size(): number {
    return this.held.size + this.finished.size;
  }

  get finishedPending(): number {
    return this.ready.size;
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const groups = groupByDossier(events);
    // What each dossier folds from, looked up once (in groups' order): held, or finished (not
    // after all, if it gets an event the hint did not foresee: back to the held ones), or loaded.
    const found: (S | undefined)[] = [];
    let missing: string[] | null = null;
    for (const k of groups.keys()) {
      let state = this.held.get(k);
      if (state === undefined) {
        state = this.finished.get(k);
        if (state !== undefined) {
          this.finished.delete(k);
          this.ready.delete(k);
        } else (missing ??= []).push(k);
      }
      found.push(state);
    }
    const loaded: ReadonlyMap<string, S> = missing ? await this.fold.load(tx, missing) : NOTHING_LOADED;
    const scratch = this.scratch;
    let i = 0;
    for (const [numeroAsp, group] of groups) {
      const current = found[i++] ?? loaded.get(numeroAsp);
      const next = this.fold.fold(current, numeroAsp, group, scratch);
      if (next !== undefined) {
        this.held.set(numeroAsp, next);
        this.dirty.add(numeroAsp);
      } else if (current !== undefined) this.held.set(numeroAsp, current);
      if (scratch.length > 0) {
        const list = this.extras.get(numeroAsp);
        if (list) for (const x of scratch) list.push(x);
        else this.extras.set(numeroAsp, scratch.slice());
        scratch.length = 0;
      }
    }
  }

  finish(numeroAsps: Iterable<string>): void {
    for (const k of numeroAsps) {
      const state = this.held.get(k);
      if (state === undefined) continue;
      this.held.delete(k);
      this.finished.set(k, state);
      if (this.dirty.has(k)) this.ready.add(k);
    }
  }

  /** The write of `keys` (dirty, taken now: folds never mutate a state or a row in place). */
  private writeOf(keys: readonly string[], extra: readonly X[]): (tx: SqlExecutor) => Promise<void> {
    const changed = keys.map((k) => this.held.get(k) ?? this.finished.get(k)!);
    return async (tx) => {
      for (let i = 0; i === 0 || i < changed.length; i += WRITE_SLICE) {
        const last = i + WRITE_SLICE >= changed.length;
        await this.fold.write(tx, changed.slice(i, i + WRITE_SLICE), last ? extra : []);
      }
    };
  }

  takeWrites(): (tx: SqlExecutor) => Promise<void> {
    const keys = [...this.dirty];
    const extra: X[] = [];
    for (const list of this.extras.values()) for (const x of list) extra.push(x);
    const write = this.writeOf(keys, extra);
    this.dirty.clear();
    this.ready.clear();
    this.extras = new Map();
    return write;
  }

  takeFinished(): { write: (tx: SqlExecutor) => Promise<void>; complete: boolean } {
    const keys = [...this.ready];
    const extra: X[] = [];
    for (const k of keys) {
      const list = this.extras.get(k);
      if (list) for (const x of list) extra.push(x);
      this.extras.delete(k);
      this.dirty.delete(k);
    }
    this.ready.clear();
    const write = keys.length > 0 || extra.length > 0 ? this.writeOf(keys, extra) : async () => {};
    return { write, complete: this.dirty.size === 0 };
  }

  trim(keep: number): void {
    // Finished and written: nothing will fold them again.
    for (const k of this.finished.keys()) if (!this.dirty.has(k)) this.finished.delete(k);
    for (const key of this.held.keys()) {
      if (this.held.size <= keep) return;
      // Only clean rows may be forgotten: a dirty one exists nowhere else yet.
      if (!this.dirty.has(key)) this.held.delete(key);
    }
  }
}

/**
 * The replay session of a projection whose rows are not folded per dossier (e.g. deadlines): holds
 * the events and runs `applyBatch` on all of them when written, which `applyBatch`'s contract (the
 * same rows as one by one) makes equal to applying them batch by batch.
 */
export class DeferredBatchSession implements ReplaySession {
  private events: RecordedEvent[] = [];

  constructor(
    private readonly applyBatch: (tx: SqlExecutor, events: readonly RecordedEvent[]) => Promise<void>,
  ) {}

  /** Events held, counted as dossiers for the flush bound: each one costs less than a dossier. */
  get size(): number {
    return this.events.length;
  }

  apply(_tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) this.events.push(event);
    return Promise.resolve();
  }

  takeWrites(): (tx: SqlExecutor) => Promise<void> {
    const events = this.events;
    this.events = [];
    return async (tx) => {
      if (events.length > 0) await this.applyBatch(tx, events);
    };
  }

  get finishedPending(): number {
    return this.events.length;
  }

  /** Nothing here is per dossier: every held event is written, and the checkpoint may move with it. */
  takeFinished(): { write: (tx: SqlExecutor) => Promise<void>; complete: boolean } {
    return { write: this.takeWrites(), complete: true };
  }

  trim(): void {}
}
