import { isValidBic, parseBic } from './bic.valueType';

describe('ENR-3: Bic', () => {
  it.each(['BNPAFRPP', 'BNPAFRPPXXX', 'AGRIFRPP882', 'deutdeff'])('accepts %s', (s) =>
    expect(isValidBic(s)).toBe(true),
  );

  it('normalises case', () => expect(parseBic('bnpafrppxxx')).toEqual({ ok: true, value: 'BNPAFRPPXXX' }));

  it('removes the spaces of the paper form', () => {
    expect(parseBic(' bnpa frpp  xxx ')).toEqual({ ok: true, value: 'BNPAFRPPXXX' });
    expect(isValidBic('BNPA FR PP')).toBe(true);
  });

  it('says what is expected, quoting the value', () =>
    expect(parseBic('BNPAFRP', 'bic')).toEqual({
      ok: false,
      error: {
        code: 'BIC_INVALIDE',
        message:
          'BIC invalide ("BNPAFRP") : 8 ou 11 caractères attendus (banque, pays, localité, agence), ex. BNPAFRPPXXX',
        path: 'bic',
      },
    }));

  it.each(['BNPAFRP', 'BNPAFRPPXX', 'BNPAFRPPXXXX', '1NPAFRPP', 'BNPA12PP', 42])('refuses %p', (s) => {
    expect(parseBic(s, 'bic')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BIC_INVALIDE', path: 'bic' }),
    });
  });
});
