/** Resolves after `ms`, or as soon as `signal` aborts (never rejects: callers re-check the signal). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export const ABORTED = Symbol('aborted');

/** `promise`'s value, or ABORTED as soon as the signal aborts (the promise keeps running). */
export const unlessAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> => {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise<T | typeof ABORTED>((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
};

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
