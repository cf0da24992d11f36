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
    [' 1000.10 ', 100010],
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

  it.each([
    ['1000.001', 'montant invalide ("1000.001") : au plus deux décimales'],
    ['-1000,001', 'montant invalide ("-1000,001") : au plus deux décimales'],
    [1e-7, 'montant invalide (1e-7) : au plus deux décimales'],
    ['a1.001', 'montant invalide ("a1.001") : nombre attendu (euros, au plus deux décimales)'],
    ['1.001a', 'montant invalide ("1.001a") : nombre attendu (euros, au plus deux décimales)'],
    ['1.0a1', 'montant invalide ("1.0a1") : nombre attendu (euros, au plus deux décimales)'],
    ['-5', 'montant invalide ("-5") : doit être strictement positif'],
    ['5-', 'montant invalide ("5-") : nombre attendu (euros, au plus deux décimales)'],
    [-0.01, 'montant invalide (-0.01) : doit être strictement positif'],
    [NaN, 'montant invalide (NaN) : nombre fini attendu'],
    [1e12, 'montant invalide (1000000000000) : supérieur au plafond de 100000000,00 €'],
  ])('refuses %p with the message %p', (input, message) => {
    expect(parseMontant(input, 'montant')).toEqual({
      ok: false,
      error: { code: 'MONTANT_INVALIDE', message, path: 'montant' },
    });
  });

  it('VAL-4: refuses a negative decided amount with its own message', () => {
    expect(parseMontantAllowZero('-5')).toEqual({
      ok: false,
      error: { code: 'MONTANT_INVALIDE', message: 'montant invalide ("-5") : ne peut pas être négatif' },
    });
    expect(parseMontantAllowZero(-0.01, 'montantDecide')).toEqual({
      ok: false,
      error: {
        code: 'MONTANT_INVALIDE',
        message: 'montant invalide (-0.01) : ne peut pas être négatif',
        path: 'montantDecide',
      },
    });
    expect(parseMontantAllowZero('-0,50')).toEqual({
      ok: false,
      error: { code: 'MONTANT_INVALIDE', message: 'montant invalide ("-0,50") : ne peut pas être négatif' },
    });
  });

  it('refuses cents that are not a safe integer, saying which', () => {
    expect(() => formatMontant(1.5)).toThrow(new RangeError('montant en centimes non entier : 1.5'));
    expect(() => centsToEuros(1.5)).toThrow(new RangeError('montant en centimes non entier : 1.5'));
    expect(() => centsToEuros(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(centsToEuros(100010)).toBe(1000.1);
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
