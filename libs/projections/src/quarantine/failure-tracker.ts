import type { Clock } from '@segur/kernel';

/** What the runner knows of one event that keeps failing in one projection. */
export interface EventFailure {
  eventId: string;
  attempts: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
  lastError: string;
}

/**
 * Counts the failed attempts of each event, per projection, with the instants taken from an
 * injected clock (tests drive it; the runner uses the system clock). Only failures that belong to
 * the event are counted here: a lost connection is the database's fault, not the event's, and the
 * runner keeps those out (see `isConnectionFailure`).
 */
export class FailureTracker {
  private readonly failures = new Map<string, EventFailure>();

  constructor(
    private readonly clock: Clock,
    readonly maxAttempts: number,
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new Error(`FailureTracker : nombre d’essais invalide (${maxAttempts})`);
  }

  /** Records one more failed attempt and returns the event's tally. */
  record(projection: string, eventId: string, error: string): EventFailure {
    const key = `${projection}\u0000${eventId}`;
    const now = this.clock.now();
    const previous = this.failures.get(key);
    const next: EventFailure = previous
      ? { ...previous, attempts: previous.attempts + 1, lastFailureAt: now, lastError: error }
      : { eventId, attempts: 1, firstFailureAt: now, lastFailureAt: now, lastError: error };
    this.failures.set(key, next);
    return next;
  }

  /** The event has used up its attempts: the runner quarantines it. */
  exhausted(failure: EventFailure): boolean {
    return failure.attempts >= this.maxAttempts;
  }

  /** Whether the event failed before (its `failing` row must then be cleared when it passes). */
  has(projection: string, eventId: string): boolean {
    return this.failures.has(`${projection}\u0000${eventId}`);
  }

  /** The event went through (applied or quarantined): its tally starts over if it ever comes back. */
  clear(projection: string, eventId: string): void {
    this.failures.delete(`${projection}\u0000${eventId}`);
  }
}
