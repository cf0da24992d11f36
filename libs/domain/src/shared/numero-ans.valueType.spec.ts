import { isValidNumeroAns, numeroAnsCouloir, parseNumeroAns } from './numero-ans.valueType';

describe('IMP-4: NumeroAns', () => {
  it('gives the couloir of the seeds numbers', () => {
    const sas = parseNumeroAns('pbrSAS0012');
    const pha = parseNumeroAns('zbuPHA0005');
    expect(sas.ok && numeroAnsCouloir(sas.value)).toBe('SAS');
    expect(pha.ok && numeroAnsCouloir(pha.value)).toBe('PHA');
  });

  it.each(['1234567890', 'PBRSAS0012', 'pbrsas0012', 'pbrSAS', 'pbSAS0012', 'pbrSAS0012x', ''])(
    'refuses %p',
    (s) => {
      expect(isValidNumeroAns(s)).toBe(false);
      expect(parseNumeroAns(s, 'numeroAns')).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'CHAMP_INVALIDE', path: 'numeroAns' }),
      });
    },
  );

  it('says what format is expected, quoting the value', () =>
    expect(parseNumeroAns('PBRSAS0012', 'numeroAns')).toEqual({
      ok: false,
      error: {
        code: 'CHAMP_INVALIDE',
        message:
          'numéro ANS invalide ("PBRSAS0012") : format attendu 3 minuscules + code couloir (3 majuscules) + chiffres, ex. pbrSAS0012',
        path: 'numeroAns',
      },
    }));
});
