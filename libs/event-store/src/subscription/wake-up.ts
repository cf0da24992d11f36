/**
 * A sticky wake-up signal between "new events were appended" and a subscriber loop: a notification
 * that arrives while the loop is busy reading is remembered, so the next `wait` returns at once and
 * no append is left unread until the next poll.
 */
export class WakeUp {
  private pending = false;
  private resolve: (() => void) | null = null;

  notify = (): void => {
    this.pending = true;
    this.resolve?.();
  };

  /** Waits for a notification, `timeoutMs`, or the abort of `signal`, whichever comes first. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.resolve = null;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.resolve = done;
    });
  }
}
