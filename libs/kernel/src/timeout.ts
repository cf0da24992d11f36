export const TIMED_OUT = Symbol('timedOut');

/**
 * `promise`'s value if it settles within `ms`, else TIMED_OUT (the promise keeps running). With
 * `ms` ≤ 0, only a value already at hand wins: one settled by microtasks alone (an async generator
 * yielding from the page it holds), not one that waits for I/O (its next database read).
 */
export const within = <T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> => {
  if (ms <= 0) {
    let immediate: NodeJS.Immediate | undefined;
    const now = new Promise<typeof TIMED_OUT>((resolve) => {
      immediate = setImmediate(() => resolve(TIMED_OUT));
    });
    return Promise.race([promise, now]).finally(() => clearImmediate(immediate));
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

/** `promise`'s value, or a rejection with `message` once `ms` passed (the promise keeps running). */
export const withTimeout = async <T>(promise: Promise<T>, ms: number, message: string): Promise<T> => {
  const r = await within(promise, ms);
  if (r === TIMED_OUT) throw new Error(message);
  return r;
};
