/**
 * A sticky wake-up signal between "new events were appended" and a subscriber loop: a notification
 * that arrives while the loop is busy reading is remembered, so the next `wait` returns at once and
 * no append is left unread until the next poll.
 */
export class WakeUp {
  private pending = false;
  private resolve: (() => void) | null = null;
  /** The last wait ended on a notification (not on its timeout). */
  private notified = false;
  /** Index of the next short re-read delay while chasing, -1 when not chasing. */
  private chase = -1;

  constructor(
    /** First delay of the re-reads after a notification found nothing (doubling). */
    private readonly chaseFirstMs = 5,
    /** How many such re-reads before falling back to the poll interval. */
    private readonly chaseSteps = 5,
  ) {}

  notify = (): void => {
    this.pending = true;
    this.resolve?.();
  };

  /** Waits for a notification, `timeoutMs`, or the abort of `signal`, whichever comes first. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      this.notified = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (byNotification: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = null;
        this.pending = false;
        this.notified = byNotification;
        resolve();
      };
      const done = (): void => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }

  /**
   * `wait` after a read that returned `found` events. A gap-safe reader only sees transactions older
   * than every transaction still running in the database (whatever it writes): when a notification
   * led to an empty read, the notified events are most likely held back by such a transaction, whose
   * end nobody will notify. Instead of the whole poll interval, re-read after a short doubling delay
   * (still cut short by a notification), a few times, then fall back to the poll interval.
   */
  waitAfterRead(found: number, pollIntervalMs: number, signal?: AbortSignal): Promise<void> {
    if (found > 0) this.chase = -1;
    else if (this.notified) this.chase = 0;
    else if (this.chase >= 0) this.chase = this.chase + 1 < this.chaseSteps ? this.chase + 1 : -1;
    const delay = this.chase < 0 ? pollIntervalMs : this.chaseFirstMs * 2 ** this.chase;
    return this.wait(Math.min(delay, pollIntervalMs), signal);
  }
}
