import {
  AccessDeniedError,
  DeadlineExceededError,
  NotLeaderError,
  UnavailableError,
  UnknownError,
} from '@eventstore/db-client';
import { isResendableAppendError, isTransientError } from './eventstoredb.errors';
import {
  accessDenied,
  deadlineExceeded,
  discoveryFailed,
  failedPrecondition,
  invalidPosition,
  notLeader,
  unavailable,
  unknownInternal,
} from './eventstoredb.grpc-errors';

describe('EventStoreDB error classification (the client’s real error classes)', () => {
  it('builds the client’s own classes', () => {
    expect(notLeader()).toBeInstanceOf(NotLeaderError);
    expect(unavailable()).toBeInstanceOf(UnavailableError);
    expect(deadlineExceeded()).toBeInstanceOf(DeadlineExceededError);
    expect(invalidPosition()).toBeInstanceOf(UnknownError);
    expect(accessDenied()).toBeInstanceOf(AccessDeniedError);
  });

  it.each([
    ['a cluster-discovery failure (plain Error)', discoveryFailed()],
    ['NotLeader (leader change)', notLeader()],
    ['Unavailable (node down)', unavailable()],
    ['DeadlineExceeded', deadlineExceeded()],
    ['an unknown server exception (INTERNAL/UNKNOWN status)', unknownInternal()],
    ['a socket reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('%s is transient', (_, error) => expect(isTransientError(error)).toBe(true));

  it.each([
    ['an invalid position', invalidPosition()],
    ['a failed precondition', failedPrecondition()],
    ['access denied', accessDenied()],
    ['an event we cannot map', new Error('Événement EventStoreDB illisible')],
    ['a bad cursor of ours', new RangeError('Curseur EventStoreDB invalide : "x"')],
  ])('%s is permanent', (_, error) => expect(isTransientError(error)).toBe(false));

  it('re-sends an append only after NotLeader, Unavailable, DeadlineExceeded or a failure to reach a node', () => {
    expect(isResendableAppendError(notLeader())).toBe(true);
    expect(isResendableAppendError(unavailable())).toBe(true);
    expect(isResendableAppendError(deadlineExceeded())).toBe(true);
    expect(isResendableAppendError(discoveryFailed())).toBe(true);
    expect(isResendableAppendError(accessDenied())).toBe(false);
    expect(isResendableAppendError(invalidPosition())).toBe(false);
    expect(isResendableAppendError(unknownInternal())).toBe(false);
  });
});
