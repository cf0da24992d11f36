import { isValidBic, parseBic } from './bic.valueType';

describe('ENR-3: Bic', () => {
  it.each(['BNPAFRPP', 'BNPAFRPPXXX', 'AGRIFRPP882', 'deutdeff'])('accepts %s', (s) =>
    expect(isValidBic(s)).toBe(true),
  );

  it('normalises case', () => expect(parseBic('bnpafrppxxx')).toEqual({ ok: true, value: 'BNPAFRPPXXX' }));

  it.each(['BNPAFRP', 'BNPAFRPPXX', 'BNPAFRPPXXXX', '1NPAFRPP', 'BNPA12PP', 42])('refuses %p', (s) => {
    expect(parseBic(s, 'bic')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BIC_INVALIDE', path: 'bic' }),
    });
  });
});
