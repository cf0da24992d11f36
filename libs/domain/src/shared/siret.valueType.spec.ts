import { isValidSiret, parseSiret, sirenOf } from './siret.valueType';

describe('IMP-1: Siret', () => {
  it.each(['79256844600019', '80125271900415'])('accepts the seeds SIRET %s', (s) => {
    expect(isValidSiret(s)).toBe(true);
    expect(parseSiret(s)).toEqual({ ok: true, value: s });
  });

  it('refuses the webinar example whose Luhn key is wrong', () => {
    const r = parseSiret('88558855858745', 'siret');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'SIRET_INVALIDE',
        path: 'siret',
        message: expect.stringContaining('Luhn'),
      }),
    });
  });

  it.each([
    ['7925684460001'],
    ['792568446000190'],
    ['7925684460001A'],
    [' 79256844600019'],
    [79256844600019],
    [null],
  ])('refuses %p (not 14 digits as a string)', (s) => {
    const r = parseSiret(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('14 chiffres');
  });

  it('accepts La Poste establishments on their digit-sum rule, and only them', () => {
    // 35600000000048 (siège) passes Luhn; 35600000049837 fails Luhn but its digits sum to 45.
    expect(isValidSiret('35600000000048')).toBe(true);
    expect(isValidSiret('35600000049837')).toBe(true);
    expect(isValidSiret('35600000012347')).toBe(false);
    // Same digit-sum property, other SIREN: Luhn applies.
    expect(isValidSiret('12300000012349')).toBe(false);
  });

  // Both pass the Luhn key: only the count of 14 digits refuses them.
  it.each(['079256844600019', '792568446000190'])('isValidSiret refuses %p, 15 digits', (s) =>
    expect(isValidSiret(s)).toBe(false),
  );

  it.each([
    ['7925684460001', 'SIRET invalide ("7925684460001") : 14 chiffres attendus'],
    ['A9256844600019', 'SIRET invalide ("A9256844600019") : 14 chiffres attendus'],
    ['88558855858745', 'SIRET invalide ("88558855858745") : clé de contrôle (Luhn) incorrecte'],
  ])('parseSiret refuses %p with the message %p', (input, message) =>
    expect(parseSiret(input, 'siret')).toEqual({
      ok: false,
      error: { code: 'SIRET_INVALIDE', message, path: 'siret' },
    }),
  );

  it('gives the SIREN', () => {
    const r = parseSiret('79256844600019');
    expect(r.ok && sirenOf(r.value)).toBe('792568446');
  });
});
