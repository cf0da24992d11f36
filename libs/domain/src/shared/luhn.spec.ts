import { digitSum, luhnValid } from './luhn';

describe('IMP-1, IMP-2: luhnValid, the key of SIRET and FINESS', () => {
  it.each(['620006494', '79256844600019', '0', '18', '0620006494'])('accepts %p', (s) =>
    expect(luhnValid(s)).toBe(true),
  );

  it.each(['620006495', '79256844600018', '1', '19'])('refuses the wrong key %p', (s) =>
    expect(luhnValid(s)).toBe(false),
  );

  // Each of these would pass the sum if the characters were read as digits (`charCode - 48`).
  it.each([
    ['the empty string', ''],
    ['a letter before the digits', 'a1'],
    ['a letter after the digits', '5a'],
  ])('refuses %s: only digits have a key', (_label, s) => expect(luhnValid(s)).toBe(false));

  it('sums the digits (La Poste rule)', () => {
    expect(digitSum('35600000049837')).toBe(45);
    expect(digitSum('')).toBe(0);
  });
});
