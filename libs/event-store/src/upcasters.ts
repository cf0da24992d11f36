import type { RecordedEvent } from './event-store.port';

/** Turns the data of one schema version into the next one (`fromSchemaVersion + 1`). */
export type Upcaster = (data: unknown, event: RecordedEvent) => unknown;

/**
 * Old event shapes are upcast on read, never rewritten in the store. Every adapter runs each event
 * it returns (readStream, readAll, subscriptions) through `upcast`, so callers only ever see the
 * newest shape of a type.
 */
export class Upcasters {
  // type → fromSchemaVersion → upcaster; the type map stays empty for most types, which keeps
  // the hot read path to one Map miss per event.
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromSchemaVersion: number, upcaster: Upcaster): this {
    let versions = this.byType.get(type);
    if (!versions) this.byType.set(type, (versions = new Map<number, Upcaster>()));
    if (versions.has(fromSchemaVersion)) {
      throw new Error(`Upcaster déjà enregistré pour ${type} v${fromSchemaVersion}`);
    }
    versions.set(fromSchemaVersion, upcaster);
    return this;
  }

  /** Applies the chain v(n) → v(n+1) → … until no upcaster is registered for the current version. */
  upcast<D = unknown>(event: RecordedEvent): RecordedEvent<D> {
    const versions = this.byType.get(event.type);
    if (!versions) return event as RecordedEvent<D>;
    let current = event;
    for (let up = versions.get(current.schemaVersion); up; up = versions.get(current.schemaVersion)) {
      current = { ...current, data: up(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current as RecordedEvent<D>;
  }

  get isEmpty(): boolean {
    return this.byType.size === 0;
  }
}

/** Shared by adapters built without upcasters, so they never test for `undefined`. */
export const NO_UPCASTERS = new Upcasters();
