/**
 * Rebuild options that interrupt it (as a user's Ctrl-C would, through its signal) once its
 * progress reports `events` replayed.
 */
export const interruptAfter = (
  events: number,
): { signal: AbortSignal; onProgress: (p: { events: number }) => void } => {
  const stop = new AbortController();
  return {
    signal: stop.signal,
    onProgress: (p) => {
      if (p.events >= events) stop.abort();
    },
  };
};
