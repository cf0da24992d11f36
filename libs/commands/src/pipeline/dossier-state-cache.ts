import type { DossierState } from '@segur/domain';

export interface CachedDossier {
  state: DossierState;
  version: number;
}

/**
 * The last state this process saw of each recently used dossier, so that a command can decide
 * without reading its stream first (that read was a large share of a command's round trips).
 *
 * Never trusted on its own: the command service appends with the cached version as expected
 * version, so a state made stale by another writer (another API instance, the worker, an import)
 * fails the append and is reloaded; any answer other than an accepted append is re-checked on a
 * fresh read. Bounded LRU: a Map keeps insertion order, a hit re-inserts its key at the end.
 */
export class DossierStateCache {
  private readonly entries = new Map<string, CachedDossier>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): CachedDossier | undefined {
    const hit = this.entries.get(streamId);
    if (hit) {
      this.entries.delete(streamId);
      this.entries.set(streamId, hit);
    }
    return hit;
  }

  /** Keeps the newer of two states: a slow read must not replace what a later append left. */
  set(streamId: string, entry: CachedDossier): void {
    if (this.capacity <= 0) return;
    const current = this.entries.get(streamId);
    if (current && current.version > entry.version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  delete(streamId: string): void {
    this.entries.delete(streamId);
  }
}
