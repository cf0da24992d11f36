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

/** The replay session of a per-dossier fold (see `ReplaySession`). */
export class FoldSession<S, X> implements ReplaySession {
  /** Map order is recency: a touched dossier is re-inserted, so `trim` drops the coldest first. */
  private readonly held = new Map<string, S>();
  private readonly dirty = new Set<string>();
  private extra: X[] = [];

  constructor(private readonly fold: DossierFold<S, X>) {}

  get size(): number {
    return this.held.size;
  }

  async apply(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<void> {
    const groups = groupByDossier(events);
    const missing = [...groups.keys()].filter((k) => !this.held.has(k));
    const loaded = missing.length > 0 ? await this.fold.load(tx, missing) : new Map<string, S>();
    for (const [numeroAsp, group] of groups) {
      const current = this.held.get(numeroAsp) ?? loaded.get(numeroAsp);
      const next = this.fold.fold(current, numeroAsp, group, this.extra);
      const state = next ?? current;
      this.held.delete(numeroAsp);
      if (state !== undefined) this.held.set(numeroAsp, state);
      if (next !== undefined) this.dirty.add(numeroAsp);
    }
  }

  takeWrites(): (tx: SqlExecutor) => Promise<void> {
    // Folds never mutate a state or a row in place (each event makes new ones), so what is taken
    // here is what gets written, however far the session has folded by then.
    const changed = [...this.dirty].map((k) => this.held.get(k)!);
    const extra = this.extra;
    this.dirty.clear();
    this.extra = [];
    return async (tx) => {
      for (let i = 0; i === 0 || i < changed.length; i += WRITE_SLICE) {
        const last = i + WRITE_SLICE >= changed.length;
        await this.fold.write(tx, changed.slice(i, i + WRITE_SLICE), last ? extra : []);
      }
    };
  }

  trim(keep: number): void {
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

  trim(): void {}
}
