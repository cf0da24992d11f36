import { convertToCommandError } from '@eventstore/db-client';

// Test support: the errors the client hands us, made the way the client makes them (its own
// `convertToCommandError` on a gRPC status with the server's metadata), since no server runs here.

const GRPC = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

const status = (code: number, details: string, metadata: Record<string, string> = {}): Error => {
  const error = Object.assign(new Error(`${code} ${details}`), {
    code,
    details,
    metadata: { getMap: () => metadata },
  });
  return convertToCommandError(error);
};

/** A follower refusing a call that requires the leader, as after a leader change. */
export const notLeader = (): Error =>
  status(GRPC.NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': 'esdb-2',
    'leader-endpoint-port': '2113',
  });
export const unavailable = (): Error => status(GRPC.UNAVAILABLE, 'No connection established');
export const deadlineExceeded = (): Error => status(GRPC.DEADLINE_EXCEEDED, 'Deadline exceeded');
/** How the server refuses a position that is not one of its log's. */
export const invalidPosition = (): Error => status(GRPC.INVALID_ARGUMENT, 'Invalid position');
export const failedPrecondition = (): Error => status(GRPC.FAILED_PRECONDITION, 'Failed precondition');
export const unknownInternal = (): Error => status(GRPC.UNKNOWN, 'Exception was thrown by handler');
export const accessDenied = (): Error =>
  status(GRPC.UNKNOWN, 'Access denied', { exception: 'access-denied' });
/** The client's own error when no node answers gossip (`Client/discovery.js`). */
export const discoveryFailed = (): Error => new Error('Failed to discover after 10 attempts.');
