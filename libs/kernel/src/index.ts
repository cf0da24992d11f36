// The small helpers every library needs, written once: logging port, retry delays, abortable
// waits, timeouts, bounded concurrency, instants. Nothing here knows the domain.
export * from './logger';
export * from './backoff';
export * from './abortable';
export * from './timeout';
export * from './concurrency';
export * from './instant';
export * from './nudge';
export * from './refusal';
export * from './seeded-random';
