import { Nudge } from '@segur/kernel';

/**
 * A sticky wake-up signal between "new events were appended" and a subscriber loop: a notification
 * that arrives while the loop is busy reading is remembered, so the next `wait` returns at once and
 * no append is left unread until the next poll.
 */
export class WakeUp {
  private readonly nudge = new Nudge();
  /** Delay before the next re-read while chasing, 0 when not chasing. */
  private chaseDelayMs = 0;
  /** Time spent chasing since the notification that found nothing. */
  private chasedMs = 0;

  constructor(
    /** First delay of the re-reads after a notification found nothing (doubling up to chaseMaxMs). */
    private readonly chaseFirstMs = 5,
    private readonly chaseMaxMs = 50,
    /** How long to keep re-reading before falling back to the poll interval. */
    private readonly chaseBudgetMs = 2_000,
  ) {}

  notify = (): void => this.nudge.notify();

  /** Waits for a notification, `timeoutMs`, or the abort of `signal`, whichever comes first. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.nudge.wait(timeoutMs, signal);
  }

  /**
   * `wait` after a read that returned `found` events. A gap-safe reader only sees transactions older
   * than every transaction still running in the database (whatever it writes): when a notification
   * led to an empty read, the notified events are most likely held back by such a transaction, whose
   * end nobody will notify. Instead of the whole poll interval, re-read after a short delay (5 ms,
   * doubling up to 50 ms, each still cut short by a notification) for up to 2 s, then fall back to
   * the poll interval. Only an empty read after a notification costs these extra reads.
   */
  waitAfterRead(found: number, pollIntervalMs: number, signal?: AbortSignal): Promise<boolean> {
    if (found > 0) this.chaseDelayMs = 0;
    else if (this.nudge.lastWaitNotified) {
      this.chaseDelayMs = this.chaseFirstMs;
      this.chasedMs = 0;
    } else if (this.chaseDelayMs > 0) {
      this.chaseDelayMs = Math.min(this.chaseDelayMs * 2, this.chaseMaxMs);
      if (this.chasedMs >= this.chaseBudgetMs) this.chaseDelayMs = 0;
    }
    if (this.chaseDelayMs === 0) return this.wait(pollIntervalMs, signal);
    const delay = Math.min(this.chaseDelayMs, pollIntervalMs);
    this.chasedMs += delay;
    return this.wait(delay, signal);
  }
}
