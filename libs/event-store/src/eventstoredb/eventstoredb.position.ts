import type { Position } from '@eventstore/db-client';

// ESDB positions are two unsigned int64 (commit, prepare) ordered by commit then prepare. The port
// wants a string whose plain `<` is that order: both parts are written as fixed-width decimals, so
// lexicographic order of equal-length digit strings is numeric order, and the separator sits at the
// same offset in every position so it never decides a comparison.
const WIDTH = 20; // 2^64 - 1 has 20 digits: wide enough for any value the server can send.
const MAX = 2n ** 64n - 1n;
const PATTERN = /^(\d{20})-(\d{20})$/;

export const encodePosition = ({ commit, prepare }: Position): string => {
  for (const [name, part] of [
    ['commit', commit],
    ['prepare', prepare],
  ] as const) {
    if (part < 0n || part > MAX) {
      throw new RangeError(`Position EventStoreDB invalide : ${name}=${part} hors de [0, 2^64-1]`);
    }
  }
  return `${commit.toString().padStart(WIDTH, '0')}-${prepare.toString().padStart(WIDTH, '0')}`;
};

export const decodePosition = (encoded: string): Position => {
  const match = PATTERN.exec(encoded);
  if (!match?.[1] || !match[2]) {
    throw new RangeError(
      `Curseur EventStoreDB invalide : "${encoded}" (attendu "<commit>-<prepare>" sur 20 chiffres)`,
    );
  }
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
};

export const isEncodedPosition = (value: string): boolean => PATTERN.test(value);
