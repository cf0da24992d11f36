/**
 * A sticky wake-up for a polling loop: `notify` while the loop is busy is remembered, so its next
 * `wait` returns at once instead of sleeping a whole interval (a notification is never lost between
 * a look and the sleep that follows it).
 */
export class Nudge {
  private pending = false;
  private wake: ((byNotification: boolean) => void) | null = null;
  /** How the last `wait` ended: a notification (or abort), or its time running out. */
  lastWaitNotified = false;

  notify = (): void => {
    this.pending = true;
    this.wake?.(true);
  };

  /** Forgets a notification that the look about to start will see anyway. */
  clear(): void {
    this.pending = false;
  }

  /** Waits for a notification, `timeoutMs` or the abort of `signal`; true unless the time ran out. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      this.lastWaitNotified = true;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const finish = (byNotification: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.wake = null;
        this.pending = false;
        this.lastWaitNotified = byNotification;
        resolve(byNotification);
      };
      const onAbort = (): void => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = finish;
    });
  }
}
