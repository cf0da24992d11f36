/**
 * Yields what `source` yields, asking it for the next item as soon as one is handed out: the
 * consumer's work (a read-model transaction) overlaps the producer's (the next page of events).
 */
export async function* readAhead<T>(source: AsyncIterator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      yield r.value;
    }
  } finally {
    // The read-ahead may still be in flight when the consumer stops: never an unhandled rejection.
    next.catch(() => undefined);
    await source.return?.(undefined)?.catch(() => undefined);
  }
}
