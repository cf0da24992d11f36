import { showInput } from './input-display';

// How a refused value is quoted in the French error messages of a line report.
describe('showInput', () => {
  it.each<[unknown, string]>([
    ['15/05/2022', '"15/05/2022"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    [12.5, '12.5'],
    [0, '0'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
  ])('quotes the value %p as %s', (input, expected) => expect(showInput(input)).toBe(expected));

  it.each<[unknown, string]>([
    [undefined, 'absent'],
    [[], 'une liste'],
    [['15/05/2022'], 'une liste'],
    [{}, 'un objet'],
    [{ date: '15/05/2022' }, 'un objet'],
    [new Date('2026-01-01T00:00:00.000Z'), 'un objet'],
    [BigInt(12), 'bigint'],
    [Symbol('x'), 'symbol'],
    [() => 1, 'function'],
  ])('names %p without quoting it: %s', (input, expected) => expect(showInput(input)).toBe(expected));

  describe('bounds the quote to 40 characters', () => {
    // A string is quoted with its double quotes, which count in the 40.
    const ofLength = (n: number): string => 'x'.repeat(n - 2);

    it('keeps a quote of 39 characters whole', () =>
      expect(showInput(ofLength(39))).toBe(`"${'x'.repeat(37)}"`));

    it('keeps a quote of exactly 40 characters whole', () =>
      expect(showInput(ofLength(40))).toBe(`"${'x'.repeat(38)}"`));

    it('cuts a quote of 41 characters to its first 40, followed by an ellipsis', () =>
      expect(showInput(ofLength(41))).toBe(`"${'x'.repeat(39)}…`));

    it('cuts a very long string the same way', () =>
      expect(showInput('y'.repeat(100_000))).toBe(`"${'y'.repeat(39)}…`));
  });
});
