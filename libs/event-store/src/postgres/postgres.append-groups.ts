import type { AppendCompanion } from '../event-store.port';

/** One caller's append at an exact expected version, waiting for its group's statement. */
export interface GroupedAppend<E> {
  streamId: string;
  /** The stream's version before the append (0: no stream). */
  expected: number;
  events: E[];
  companion: AppendCompanion | null;
}

interface Pending<E, R> extends GroupedAppend<E> {
  resolve: (rows: R[]) => void;
  reject: (error: unknown) => void;
}

const sameStatement = (a: AppendCompanion | null, b: AppendCompanion | null): boolean =>
  a === b || (a !== null && b !== null && a.name === b.name && a.sql === b.sql);

export interface AppendGroupsOptions {
  /** Group statements in flight at once; appends arriving meanwhile wait for the next group. */
  maxInFlight?: number;
  /** Appends per group at most. */
  maxGroup?: number;
}

/**
 * Group commit for single-stream appends: appends requested while earlier groups are in flight are
 * written together, by one statement and one commit, instead of one round trip and one commit each
 * (with many concurrent commands, each socket write to PostgreSQL and each commit cost more CPU,
 * on both sides, than the rows themselves).
 *
 * Each caller still gets its own answer: `run` returns the inserted rows, and an append whose
 * stream got none missed its expected version (an empty answer, the caller's conflict) without
 * failing the others. A group holds one append per stream and one companion statement. A group whose
 * statement fails on a version race (a concurrent writer took a version first) is run again, where
 * the raced stream now just misses its version; any other failure of a group of several runs each
 * append alone, so that only the faulty one fails.
 */
export class AppendGroups<E, R extends { stream_id?: string }> {
  private queue: Array<Pending<E, R>> = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxGroup: number;

  constructor(
    private readonly run: (group: ReadonlyArray<GroupedAppend<E>>) => Promise<R[]>,
    private readonly isVersionRace: (error: unknown) => boolean,
    options: AppendGroupsOptions = {},
  ) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    this.maxGroup = Math.max(1, options.maxGroup ?? 64);
  }

  /** The rows inserted for this append, in version order; empty when its expected version was missed. */
  append(append: GroupedAppend<E>): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ ...append, resolve, reject });
      this.schedule();
    });
  }

  // Deferred to the next turn of the event loop, so that requests handled in the same turn already
  // share the first group.
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.queue.length > 0) void this.flush(this.take());
    });
  }

  /** The oldest appends sharing the head's companion, one per stream; the others keep their place. */
  private take(): Array<Pending<E, R>> {
    const head = this.queue[0]?.companion ?? null;
    const streams = new Set<string>();
    const group: Array<Pending<E, R>> = [];
    const rest: Array<Pending<E, R>> = [];
    for (const p of this.queue) {
      if (group.length < this.maxGroup && sameStatement(p.companion, head) && !streams.has(p.streamId)) {
        streams.add(p.streamId);
        group.push(p);
      } else rest.push(p);
    }
    this.queue = rest;
    return group;
  }

  private async flush(group: Array<Pending<E, R>>): Promise<void> {
    this.inFlight++;
    try {
      await this.settle(group);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async settle(group: Array<Pending<E, R>>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await this.run(group);
        const byStream = new Map<string, R[]>();
        for (const row of rows) {
          const key = row.stream_id ?? '';
          const list = byStream.get(key);
          if (list) list.push(row);
          else byStream.set(key, [row]);
        }
        for (const p of group) p.resolve(byStream.get(p.streamId) ?? []);
        return;
      } catch (error) {
        const race = this.isVersionRace(error);
        if (group.length === 1) {
          const [p] = group as [Pending<E, R>];
          // Alone, a lost race is this append's conflict.
          if (race) p.resolve([]);
          else p.reject(error);
          return;
        }
        if (race && attempt < 3) continue;
        await Promise.all(group.map((p) => this.settle([p])));
        return;
      }
    }
  }
}
