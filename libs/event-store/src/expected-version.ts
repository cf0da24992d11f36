import {
  WrongExpectedVersionError,
  type ExpectedVersion,
  type EventFilter,
  type NewEvent,
} from './event-store.port';
import { v7 } from 'uuid';

/** The rule every adapter applies; `current` is the stream's version, 0 when it does not exist. */
export const satisfiesExpectedVersion = (expected: ExpectedVersion, current: number): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 0;
    case 'stream_exists':
      return current > 0;
    default:
      return current === expected;
  }
};

export const assertExpectedVersion = (streamId: string, expected: ExpectedVersion, current: number): void => {
  if (!satisfiesExpectedVersion(expected, current)) {
    throw new WrongExpectedVersionError(streamId, expected, current);
  }
};

/** Rejects what no adapter can store, before any I/O. */
export const validateAppend = (
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): void => {
  if (!streamId) throw new Error('Identifiant de flux vide');
  if (events.length === 0) throw new Error(`Aucun événement à ajouter au flux ${streamId}`);
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new Error(`Version attendue invalide pour ${streamId} : ${expected}`);
  }
};

export const eventIdOf = (event: NewEvent): string => event.id ?? v7();
export const schemaVersionOf = (event: NewEvent): number => event.schemaVersion ?? 1;

export const matchesFilter = (event: { type: string; streamId: string }, filter?: EventFilter): boolean =>
  (!filter?.types || filter.types.includes(event.type)) &&
  (!filter?.streamPrefix || event.streamId.startsWith(filter.streamPrefix));
