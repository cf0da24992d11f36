import { DeadlineExceededError } from '@eventstore/db-client';

/** Starts a timer and returns its cancel function; injected so tests fire it by hand. */
export type Timer = (ms: number, fire: () => void) => () => void;

export const realTimer: Timer = (ms, fire) => {
  const handle = setTimeout(fire, ms);
  // A pending deadline must not keep a process alive that is otherwise done.
  handle.unref();
  return () => clearTimeout(handle);
};

/** The client's own default gRPC deadline, which it applies to appends but not to reads. */
export const DEFAULT_DEADLINE_MS = 10_000;

/**
 * `defaultDeadline` (ms) of an `esdb://` connection string: the client applies it to appends only
 * (reads and subscriptions are sent with an infinite deadline), so the adapter applies it to reads
 * and to a subscription's confirmation itself.
 */
export const deadlineOf = (connection: string): number => {
  const match = /[?&]defaultDeadline=(\d+)/i.exec(connection);
  const ms = match?.[1] === undefined ? DEFAULT_DEADLINE_MS : Number(match[1]);
  return ms > 0 ? ms : DEFAULT_DEADLINE_MS;
};

export const deadlineError = (what: string, ms: number): Error =>
  new DeadlineExceededError(undefined, `${what} : pas de réponse du cluster en ${ms} ms`);

/**
 * The events of `source`, failing with the client's `DeadlineExceededError` (transient: the caller
 * retries or resubscribes) when the whole read takes longer than `ms`; `cancel` ends the gRPC call.
 */
export async function* withinDeadline<T>(
  source: AsyncIterable<T>,
  ms: number,
  timer: Timer,
  what: string,
  cancel?: () => unknown,
): AsyncGenerator<T> {
  let expire: (error: Error) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  expired.catch(() => undefined);
  const stop = timer(ms, () => {
    expire(deadlineError(what, ms));
    void Promise.resolve()
      .then(cancel)
      .catch(() => undefined);
  });
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    stop();
    // Not awaited: a generator's return() waits for a next() still pending on a silent node.
    void Promise.resolve()
      .then(() => iterator.return?.())
      .catch(() => undefined);
  }
}
