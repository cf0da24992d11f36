import type { RecordedEvent } from '../event-store.port';

/** Drains a subscription in the background so a test can wait for "n events" with a deadline. */
export class SubscriptionCollector {
  readonly events: RecordedEvent[] = [];
  readonly done: Promise<void>;
  private error: Error | null = null;
  private waiter: (() => void) | null = null;

  constructor(iterable: AsyncIterable<RecordedEvent>) {
    this.done = (async () => {
      try {
        for await (const event of iterable) {
          this.events.push(event);
          this.waiter?.();
        }
      } catch (e) {
        this.error = e instanceof Error ? e : new Error(String(e));
        this.waiter?.();
      }
    })();
  }

  async until(count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      if (this.error) throw this.error;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`Abonnement : ${this.events.length} événements reçus sur ${count} attendus`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.events.slice(0, count);
  }
}
