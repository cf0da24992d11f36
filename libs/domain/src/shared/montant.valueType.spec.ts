import {
  MONTANT_MAX_CENTS,
  centsToEuros,
  formatMontant,
  isValidMontant,
  parseMontant,
  parseMontantAllowZero,
} from './montant.valueType';

const cents = (input: unknown): number => {
  const r = parseMontant(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('IMP-6: Montant', () => {
  it.each([
    [1000.0, 100000],
    [100000.0, 10000000],
    [1000.1, 100010],
    [0.29, 29],
    [0.5, 50],
    [19.99, 1999],
    ['1000.00', 100000],
    ['1000', 100000],
    ['0.5', 50],
    ['1000.10', 100010],
    ['70000,00', 7000000],
  ])('reads %p as %p cents exactly', (input, expected) => expect(cents(input)).toBe(expected));

  it('reads the ceiling itself', () => expect(cents(100_000_000)).toBe(MONTANT_MAX_CENTS));

  it.each([
    [1000.001, 'deux décimales'],
    ['1000.001', 'deux décimales'],
    [1e-7, 'deux décimales'],
    [-5, 'strictement positif'],
    [0, 'strictement positif'],
    ['0.00', 'strictement positif'],
    ['abc', 'nombre attendu'],
    ['', 'nombre attendu'],
    ['1 000', 'nombre attendu'],
    [null, 'nombre attendu'],
    [true, 'nombre attendu'],
    [NaN, 'nombre fini'],
    [Infinity, 'nombre fini'],
    [1e12, 'plafond'],
    ['100000000.01', 'plafond'],
  ])('refuses %p (%s)', (input, reason) => {
    const r = parseMontant(input, 'facture.montantSegurHTFacture');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'MONTANT_INVALIDE',
        path: 'facture.montantSegurHTFacture',
        message: expect.stringContaining(reason),
      }),
    });
  });

  it('VAL-4: allows zero only in the decided-amount variant', () => {
    expect(parseMontantAllowZero(0)).toEqual({ ok: true, value: 0 });
    expect(parseMontantAllowZero('0,00')).toEqual({ ok: true, value: 0 });
    expect(parseMontantAllowZero(-0.01).ok).toBe(false);
    expect(isValidMontant('0')).toBe(false);
  });

  it('formats French style without thousands separator, as the portal shows', () => {
    expect(formatMontant(7000000)).toBe('70000,00');
    expect(formatMontant(10000000)).toBe('100000,00');
    expect(formatMontant(0)).toBe('0,00');
    expect(formatMontant(5)).toBe('0,05');
    expect(formatMontant(-150)).toBe('-1,50');
    expect(() => formatMontant(1.5)).toThrow(RangeError);
  });

  it('round-trips through the French format and euros', () => {
    for (const c of [1, 29, 100010, 7000000, MONTANT_MAX_CENTS]) {
      expect(cents(formatMontant(c))).toBe(c);
      expect(cents(centsToEuros(c))).toBe(c);
    }
  });
});
