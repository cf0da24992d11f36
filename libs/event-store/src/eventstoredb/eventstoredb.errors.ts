import { ErrorType } from '@eventstore/db-client';

// What a dropped connection, a leader election or a rolling restart of the cluster looks like.
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
  ErrorType.TIMEOUT,
  ErrorType.UNKNOWN,
]);

// Raw gRPC status codes, for errors that reach us unconverted: CANCELLED, UNKNOWN,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE.
const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([1, 2, 4, 8, 10, 13, 14]);

/**
 * Worth a resubscription. Everything else (access denied, a bad cursor, an event we cannot map)
 * would fail the same way again, so it ends the subscription loudly instead of looping forever.
 */
export const isTransientError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code } = error as { type?: unknown; code?: unknown };
  if (typeof type === 'string') return TRANSIENT_TYPES.has(type);
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
};
