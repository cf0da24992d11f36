import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while handling one request carries (its correlation id). */
export interface LogContext {
  correlationId: string;
}

/**
 * The request being handled, for the logger's mixin: any code that logs through the one pino logger
 * (Nest, the command pipeline, the libraries) gets the request's correlation id without passing it.
 */
export const logContext = new AsyncLocalStorage<LogContext>();
