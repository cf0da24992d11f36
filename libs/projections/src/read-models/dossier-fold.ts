import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import type { RebuildableProjection, ReplaySession, ReplaySessionOptions } from '../rebuild-capability';
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
   * that are not the state (e.g. reporting's rounds) are pushed to `extra`, in order, and only
   * along with a returned state.
   */
  fold(state: S | undefined, numeroAsp: string, events: readonly RecordedEvent[], extra: X[]): S | undefined;
  /**
   * `fresh`: dossiers known to have no row in the tables yet (a replay session's own, never loaded
   * nor written), whose rows may go in by plain INSERTs: no conflict check, no update path.
   */
  write(
    tx: SqlExecutor,
    changed: readonly S[],
    extra: readonly X[],
    fresh: ReadonlySet<string>,
  ): Promise<void>;
}

const NONE_FRESH: ReadonlySet<string> = new Set<string>();

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
  await fold.write(tx, changed, extra, NONE_FRESH);
};

/**
 * A read model folded per dossier, as a projection: `applyBatch` loads, folds and writes a batch,
 * `apply` is the batch of one, and a rebuild folds it in a replay session.
 */
export const foldProjection = <S, X>(
  fold: DossierFold<S, X>,
  projection: Omit<RebuildableProjection, 'apply' | 'applyBatch' | 'replaySession'>,
): RebuildableProjection => {
  const applyBatch = (tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> =>
    applyFold(fold, tx, events);
  return {
    ...projection,
    apply: (tx, event) => applyBatch(tx, [event]),
    applyBatch,
    replaySession: (options) => new FoldSession(fold, options),
  };
};

// A flush can hold tens of thousands of dossiers: written in slices, so one statement's JSON
// parameter stays a few MB.
const WRITE_SLICE = 2_000;

const NOTHING_LOADED: ReadonlyMap<string, never> = new Map<string, never>();

/** The events of `group` whose type is one of `types`: the group itself when all are, null when none. */
const ofTypes = (
  group: readonly RecordedEvent[],
  types: ReadonlySet<string>,
): readonly RecordedEvent[] | null => {
  let i = 0;
  while (i < group.length && types.has(group[i]!.type)) i++;
  if (i === group.length) return group;
  const kept = group.filter((e) => types.has(e.type));
  return kept.length > 0 ? kept : null;
};

/** What a session holds of one dossier. */
interface Held<S, X> {
  state: S;
  /** Changed since its last write (then listed in the session's `dirty`). */
  dirty: boolean;
  /** Writes that are not the state, in order, since its last write. */
  extras: X[] | null;
  /** No row in the shadow tables yet: the load found none and no write took it (see `fresh`). */
  unwritten: boolean;
}

/**
 * The replay session of a per-dossier fold (see `ReplaySession`). A dossier's state, dirtiness and
 * pending extras live in one entry, found by one map lookup per dossier and batch and updated in
 * place: a map or set operation per dossier and batch for each of them was measurable CPU on a
 * rebuild (four sessions).
 */
export class FoldSession<S, X> implements ReplaySession {
  /**
   * Dossiers still getting events. Map order is first seen, so `trim` drops the oldest first: a
   * least-recently-used order (delete and re-insert on every touch) cost more CPU, and finished
   * dossiers leave anyway, so what is left held are the long-running ones.
   */
  private readonly held = new Map<string, Held<S, X>>();
  /**
   * Dossiers `finish`ed: the dirty ones wait for `takeFinished` (`ready`), the clean ones for the
   * next `trim`, which only runs once the flush that may be writing them committed (a dossier
   * forgotten earlier would be loaded back from a table that does not hold it yet).
   */
  private readonly finished = new Map<string, Held<S, X>>();
  private readonly ready = new Set<string>();
  /** The dirty dossiers, in the order they became so. */
  private readonly dirty = new Set<string>();
  private readonly scratch: X[] = [];
  /** The shadow tables started empty (see ReplaySessionOptions). */
  private readonly empty: boolean;
  /**
   * With `empty`: the dossiers `trim` forgot (see ReplaySessionOptions). Any other dossier not held
   * is new to the tables, and a fresh rebuild's loads (a transaction per session and batch, an index
   * probe per new dossier) would find nothing: they are skipped.
   */
  private readonly forgotten: Set<string>;

  constructor(
    private readonly fold: DossierFold<S, X>,
    options?: ReplaySessionOptions,
  ) {
    this.empty = options?.empty ?? false;
    this.forgotten = options?.forgotten ?? new Set<string>();
  }

  get size(): number {
    return this.held.size + this.finished.size;
  }

  get finishedPending(): number {
    return this.ready.size;
  }

  /**
   * See ReplaySession. Grouped by the caller, filtered here per group: a rebuild groups each batch
   * once for all its sessions, instead of a filtered copy, a map and a numéro ASP string per event
   * in each of them (measurable CPU with four sessions, garbage collection included).
   */
  async apply(
    tx: SqlExecutor,
    groups: ReadonlyMap<string, readonly RecordedEvent[]>,
    types: ReadonlySet<string> | null,
  ): Promise<void> {
    // What each dossier folds from, looked up once (in groups' order): held, or finished (not
    // after all, if it gets an event the hint did not foresee: back to the held ones), or loaded.
    const keys: string[] = [];
    const todo: (readonly RecordedEvent[])[] = [];
    const found: (Held<S, X> | undefined)[] = [];
    let missing: string[] | null = null;
    for (const [k, all] of groups) {
      const group = types === null ? all : ofTypes(all, types);
      if (group === null) continue;
      let entry = this.held.get(k);
      if (entry === undefined) {
        entry = this.finished.get(k);
        if (entry !== undefined) {
          this.finished.delete(k);
          this.ready.delete(k);
          this.held.set(k, entry);
        } else if (!this.empty || this.forgotten.has(k)) (missing ??= []).push(k);
      }
      keys.push(k);
      todo.push(group);
      found.push(entry);
    }
    const loaded: ReadonlyMap<string, S> = missing ? await this.fold.load(tx, missing) : NOTHING_LOADED;
    const scratch = this.scratch;
    for (let i = 0; i < keys.length; i++) {
      const numeroAsp = keys[i]!;
      const group = todo[i]!;
      let entry = found[i];
      if (entry !== undefined) {
        const next = this.fold.fold(entry.state, numeroAsp, group, scratch);
        if (next !== undefined) {
          entry.state = next;
          this.markDirty(numeroAsp, entry);
        }
      } else {
        const current = loaded.get(numeroAsp);
        const next = this.fold.fold(current, numeroAsp, group, scratch);
        if (next !== undefined) {
          entry = { state: next, dirty: false, extras: null, unwritten: current === undefined };
          this.held.set(numeroAsp, entry);
          this.markDirty(numeroAsp, entry);
        } else if (current !== undefined)
          this.held.set(numeroAsp, { state: current, dirty: false, extras: null, unwritten: false });
      }
      if (scratch.length > 0) {
        // Extras come with a changed state (see DossierFold), so with an entry.
        if (entry === undefined) throw new Error(`${numeroAsp}: writes without a state`);
        if (entry.extras) for (const x of scratch) entry.extras.push(x);
        else entry.extras = scratch.slice();
        scratch.length = 0;
      }
    }
  }

  private markDirty(numeroAsp: string, entry: Held<S, X>): void {
    if (entry.dirty) return;
    entry.dirty = true;
    this.dirty.add(numeroAsp);
  }

  finish(numeroAsps: Iterable<string>): void {
    for (const k of numeroAsps) {
      const entry = this.held.get(k);
      if (entry === undefined) continue;
      this.held.delete(k);
      this.finished.set(k, entry);
      if (entry.dirty) this.ready.add(k);
    }
  }

  /**
   * The write of `keys` (dirty), taken now: they are clean from here on, and folds never mutate a
   * state or a row in place. Whatever follows this write finds its rows in the tables (or the
   * rebuild failed with it, and a resume starts from a new session that loads what is there).
   */
  private writeOf(keys: readonly string[]): (tx: SqlExecutor) => Promise<void> {
    const changed: S[] = [];
    const extra: X[] = [];
    let fresh = NONE_FRESH;
    for (const k of keys) {
      const entry = (this.held.get(k) ?? this.finished.get(k))!;
      changed.push(entry.state);
      if (entry.extras) for (const x of entry.extras) extra.push(x);
      entry.extras = null;
      entry.dirty = false;
      if (entry.unwritten) {
        if (fresh === NONE_FRESH) fresh = new Set<string>();
        (fresh as Set<string>).add(k);
        entry.unwritten = false;
      }
    }
    return async (tx) => {
      for (let i = 0; i === 0 || i < changed.length; i += WRITE_SLICE) {
        const last = i + WRITE_SLICE >= changed.length;
        await this.fold.write(tx, changed.slice(i, i + WRITE_SLICE), last ? extra : [], fresh);
      }
    };
  }

  takeWrites(): (tx: SqlExecutor) => Promise<void> {
    const write = this.writeOf([...this.dirty]);
    this.dirty.clear();
    this.ready.clear();
    return write;
  }

  takeFinished(): { write: (tx: SqlExecutor) => Promise<void>; complete: boolean } {
    const keys = [...this.ready];
    this.ready.clear();
    for (const k of keys) this.dirty.delete(k);
    const write = keys.length > 0 ? this.writeOf(keys) : async () => {};
    return { write, complete: this.dirty.size === 0 };
  }

  trim(keep: number): void {
    // Finished and written: nothing will fold them again.
    for (const [k, entry] of this.finished) if (!entry.dirty) this.forget(this.finished, k);
    for (const [k, entry] of this.held) {
      if (this.held.size <= keep) return;
      // Only clean rows may be forgotten: a dirty one exists nowhere else yet.
      if (!entry.dirty) this.forget(this.held, k);
    }
  }

  private forget(from: Map<string, Held<S, X>>, numeroAsp: string): void {
    from.delete(numeroAsp);
    if (this.empty) this.forgotten.add(numeroAsp);
  }
}
