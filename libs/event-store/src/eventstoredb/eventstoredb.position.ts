import type { Position } from '@eventstore/db-client';
import { ESDB_CURSOR_PREFIX, ForeignCursorError, cursorOrigin } from '../foreign-cursor.error';

// ESDB positions are two unsigned int64 (commit, prepare) ordered by commit then prepare. The port
// wants a string whose plain `<` is that order: both parts are written as fixed-width decimals, so
// lexicographic order of equal-length digit strings is numeric order, and the separator sits at the
// same offset in every position so it never decides a comparison. The `esdb:` prefix, the same on
// every position, keeps that order and tells them apart from PostgreSQL's, which have the same
// digits: a checkpoint of one store is refused by the other instead of silently misread.
const WIDTH = 20; // 2^64 - 1 has 20 digits: wide enough for any value the server can send.
const MAX = 2n ** 64n - 1n;
const PATTERN = /^esdb:(\d{20})-(\d{20})$/;

export const encodePosition = ({ commit, prepare }: Position): string => {
  for (const [name, part] of [
    ['commit', commit],
    ['prepare', prepare],
  ] as const) {
    if (part < 0n || part > MAX) {
      throw new RangeError(`Position EventStoreDB invalide : ${name}=${part} hors de [0, 2^64-1]`);
    }
  }
  return `${ESDB_CURSOR_PREFIX}${commit.toString().padStart(WIDTH, '0')}-${prepare.toString().padStart(WIDTH, '0')}`;
};

export const decodePosition = (encoded: string): Position => {
  const match = PATTERN.exec(encoded);
  if (!match?.[1] || !match[2]) {
    const origin = cursorOrigin(encoded);
    if (origin === 'postgres' || origin === 'memory')
      throw new ForeignCursorError(
        encoded,
        'eventstoredb',
        origin,
        origin === 'postgres'
          ? ' (un point de reprise EventStoreDB écrit avant le préfixe « esdb: » a la même forme : voir docs/operations.md, « EventStoreDB »)'
          : '',
      );
    throw new RangeError(
      `Curseur EventStoreDB invalide : "${encoded}" (attendu "esdb:<commit>-<prepare>" sur 20 chiffres)`,
    );
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
};

export const isEncodedPosition = (value: string): boolean => PATTERN.test(value);
