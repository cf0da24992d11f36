/**
 * A sticky wake-up for a polling loop: a notification that arrives while the loop is busy is
 * remembered, so the next `wait` returns at once instead of sleeping a whole interval.
 */
export class Nudge {
  private pending = false;
  private wake: (() => void) | null = null;

  notify = (): void => {
    this.pending = true;
    this.wake?.();
  };

  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = null;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }
}
