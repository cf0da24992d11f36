import {
  NumeroAsp,
  formatNumeroAsp,
  isValidNumeroAsp,
  numeroAspBase,
  numeroAspCouloir,
  numeroAspVersion,
  numeroAspWithVersion,
  parseNumeroAsp,
} from './numero-asp.valueType';

const parsed = (s: string): NumeroAsp => {
  const r = parseNumeroAsp(s);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('IMP-3: NumeroAsp', () => {
  it.each(['FINSAS008539', 'FINPHA004979', 'FINMSS009266', 'FINSAS008539M1', 'FINSAS008539M12'])(
    'accepts %s',
    (s) => expect(isValidNumeroAsp(s)).toBe(true),
  );

  it.each([
    'FINsas008539',
    'FIN SAS008539',
    'FINSAS08539',
    'FINSAS0085390',
    'FINSAS008539M0',
    'FINSAS008539M',
    'XXXSAS008539',
  ])('refuses %s', (s) => {
    const r = parseNumeroAsp(s, 'lignesImport[0].numeroASP');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'NUMERO_ASP_INVALIDE', path: 'lignesImport[0].numeroASP' }),
    });
  });

  it('says what format is expected, quoting the value', () => {
    expect(parseNumeroAsp('FINSAS08539')).toEqual({
      ok: false,
      error: {
        code: 'NUMERO_ASP_INVALIDE',
        message:
          'numéro ASP invalide ("FINSAS08539") : format attendu FIN + code couloir (3 majuscules) + 6 chiffres, ex. FINSAS008539',
      },
    });
  });

  it('throws on a number that did not come out of parse or format (programming error)', () => {
    const forged = 'FINSAS08539' as NumeroAsp;
    expect(() => numeroAspCouloir(forged)).toThrow(new RangeError('numéro ASP mal formé : FINSAS08539'));
    expect(() => numeroAspVersion(forged)).toThrow(new RangeError('numéro ASP mal formé : FINSAS08539'));
  });

  it('splits couloir, base and version', () => {
    const n = parsed('FINSAS008539M1');
    expect(numeroAspCouloir(n)).toBe('SAS');
    expect(numeroAspBase(n)).toBe('FINSAS008539');
    expect(numeroAspVersion(n)).toBe(1);
    expect(numeroAspVersion(parsed('FINSAS008539'))).toBe(0);
    expect(NumeroAsp.couloir(parsed('FINPHA004979'))).toBe('PHA');
  });

  it('names another version of the same dossier', () => {
    expect(numeroAspWithVersion(parsed('FINSAS008539'), 2)).toBe('FINSAS008539M2');
    expect(numeroAspWithVersion(parsed('FINSAS008539M2'), 0)).toBe('FINSAS008539');
    expect(() => numeroAspWithVersion(parsed('FINSAS008539'), -1)).toThrow(RangeError);
  });

  it('accepts versions up to 999999 and refuses the next one, saying which', () => {
    const n = parsed('FINSAS008539');
    expect(numeroAspWithVersion(n, 999_999)).toBe('FINSAS008539M999999');
    expect(() => numeroAspWithVersion(n, 1_000_000)).toThrow(
      new RangeError('version de numéro ASP invalide : 1000000'),
    );
    expect(() => numeroAspWithVersion(n, 1.5)).toThrow(
      new RangeError('version de numéro ASP invalide : 1.5'),
    );
  });

  it('formats the number an avance import assigns', () => {
    expect(formatNumeroAsp('SAS', 8539)).toBe('FINSAS008539');
    expect(formatNumeroAsp('PHA', 999999)).toBe('FINPHA999999');
    expect(() => formatNumeroAsp('SAS', 0)).toThrow(RangeError);
    expect(() => formatNumeroAsp('SAS', 1_000_000)).toThrow(RangeError);
    expect(() => formatNumeroAsp('sas', 1)).toThrow(RangeError);
  });

  it('formats sequence 1, the lowest, and refuses 0 and 1000000 saying the bounds', () => {
    expect(formatNumeroAsp('SAS', 1)).toBe('FINSAS000001');
    expect(() => formatNumeroAsp('SAS', 0)).toThrow(
      new RangeError('numéro de séquence hors limites (1 à 999999) : 0'),
    );
    expect(() => formatNumeroAsp('SAS', 1_000_000)).toThrow(
      new RangeError('numéro de séquence hors limites (1 à 999999) : 1000000'),
    );
  });

  it.each(['XSAS', 'SASX', 'SA', ''])('refuses the couloir code %p, saying which', (couloir) => {
    expect(() => formatNumeroAsp(couloir, 1)).toThrow(new RangeError(`code couloir invalide : ${couloir}`));
  });
});
