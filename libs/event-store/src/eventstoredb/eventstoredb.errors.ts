import { ErrorType } from '@eventstore/db-client';

// What a dropped connection, a leader election or a rolling restart of the cluster looks like.
const TRANSIENT_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
  ErrorType.TIMEOUT,
]);

// Raw gRPC status codes, for errors that reach us unconverted: CANCELLED, UNKNOWN,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE.
const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([1, 2, 4, 8, 10, 13, 14]);

// The client turns every gRPC status it has no class for into an `UnknownError` that keeps the
// status code: INVALID_ARGUMENT (how the server refuses a position that is not one of its log's,
// "Invalid position"), PERMISSION_DENIED, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED would
// fail the same way again.
const PERMANENT_GRPC_CODES: ReadonlySet<number> = new Set([3, 7, 9, 11, 12]);
const INVALID_POSITION = /invalid position/i;

// The client's own plain Errors when no node of the cluster answers gossip ("Failed to discover
// after N attempts.") or the channel broke under it: the cluster may come back.
const CLUSTER_UNREACHABLE = /failed to discover|no connection established|channel.*(closed|shut ?down)/i;
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Worth another try (a resubscription, a re-sent append, a re-read). Everything else (access
 * denied, an invalid position, an event we cannot map) would fail the same way again, so it ends
 * the call loudly instead of looping forever.
 */
export const isTransientError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type, code, message } = error as { type?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (INVALID_POSITION.test(text)) return false;
  if (typeof type === 'string') {
    if (type === String(ErrorType.UNKNOWN))
      return !(typeof code === 'number' && PERMANENT_GRPC_CODES.has(code));
    return TRANSIENT_TYPES.has(type);
  }
  if (typeof code === 'number') return TRANSIENT_GRPC_CODES.has(code);
  if (typeof code === 'string') return NETWORK_CODES.has(code);
  return error instanceof Error && CLUSTER_UNREACHABLE.test(text);
};

/** The errors after which an append is re-sent with the same event ids (the server dedups by id). */
export const isResendableAppendError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { type } = error as { type?: unknown };
  return (
    type === ErrorType.NOT_LEADER ||
    type === ErrorType.UNAVAILABLE ||
    type === ErrorType.DEADLINE_EXCEEDED ||
    // Nothing reached a node: re-sending is safe for the same reason.
    (type === undefined && isTransientError(error))
  );
};
