import { comparePositions } from '../event-store.port';
import { decodePosition, encodePosition } from './eventstoredb.position';

const MAX = 2n ** 64n - 1n;

// Seeded, so a failing pair can be replayed.
const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

const randomPart = (random: () => number): bigint => {
  // Mix magnitudes: tiny values, values near each other, and values up to the int64 range.
  const digits = Math.floor(random() * 20) + 1;
  let value = 0n;
  for (let i = 0; i < digits; i++) value = value * 10n + BigInt(Math.floor(random() * 10));
  return value > MAX ? MAX : value;
};

const esdbOrder = (a: { commit: bigint; prepare: bigint }, b: { commit: bigint; prepare: bigint }) =>
  a.commit !== b.commit
    ? a.commit < b.commit
      ? -1
      : 1
    : a.prepare === b.prepare
      ? 0
      : a.prepare < b.prepare
        ? -1
        : 1;

describe('EventStoreDB position codec', () => {
  it('encodes as fixed-width decimals', () => {
    expect(encodePosition({ commit: 42n, prepare: 7n })).toBe(
      'esdb:00000000000000000042-00000000000000000007',
    );
    expect(encodePosition({ commit: MAX, prepare: 0n })).toBe(
      'esdb:18446744073709551615-00000000000000000000',
    );
  });

  it('orders strings exactly as ESDB orders positions, over many random pairs', () => {
    const random = prng(20260101);
    for (let i = 0; i < 20_000; i++) {
      const a = { commit: randomPart(random), prepare: randomPart(random) };
      // Every fourth pair shares its commit, so the prepare part decides.
      const b = { commit: i % 4 === 0 ? a.commit : randomPart(random), prepare: randomPart(random) };
      expect([a, b, comparePositions(encodePosition(a), encodePosition(b))]).toEqual([a, b, esdbOrder(a, b)]);
    }
  });

  it('sorts a shuffled list into ESDB order', () => {
    const random = prng(7);
    const positions = Array.from({ length: 500 }, () => ({
      commit: randomPart(random),
      prepare: randomPart(random),
    }));
    const byString = positions.map(encodePosition).sort();
    const byEsdb = [...positions].sort(esdbOrder).map(encodePosition);
    expect(byString).toEqual(byEsdb);
  });

  it('round-trips', () => {
    const random = prng(99);
    for (let i = 0; i < 2_000; i++) {
      const position = { commit: randomPart(random), prepare: randomPart(random) };
      expect(decodePosition(encodePosition(position))).toEqual(position);
    }
    expect(decodePosition(encodePosition({ commit: 0n, prepare: 0n }))).toEqual({ commit: 0n, prepare: 0n });
    expect(decodePosition(encodePosition({ commit: MAX, prepare: MAX }))).toEqual({
      commit: MAX,
      prepare: MAX,
    });
  });

  it('refuses values out of range and cursors from other adapters', () => {
    expect(() => encodePosition({ commit: -1n, prepare: 0n })).toThrow(RangeError);
    expect(() => encodePosition({ commit: 0n, prepare: MAX + 1n })).toThrow(RangeError);
    for (const foreign of [
      '',
      '000000000042',
      '42-7',
      '00000000000000000042:00000000000000000007',
      'esdb:42-7',
      'ESDB:00000000000000000042-00000000000000000007',
      'x'.repeat(41),
    ]) {
      expect(() => decodePosition(foreign)).toThrow(RangeError);
    }
  });
});
