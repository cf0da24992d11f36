import { formatDateFr, isValidDateFr, isValidDateIso, parseDateFr } from './date-fr.valueType';

describe('IMP-5: DateFr', () => {
  it.each([
    ['15/05/2022', '2022-05-15'],
    ['10/01/2023', '2023-01-10'],
    ['01/03/2023', '2023-03-01'],
    ['29/02/2024', '2024-02-29'],
    ['29/02/2000', '2000-02-29'],
    ['31/12/2030', '2030-12-31'],
  ])('reads %s as %s', (fr, iso) => expect(parseDateFr(fr)).toEqual({ ok: true, value: iso }));

  it.each([
    '31/02/2023',
    '29/02/2023',
    '29/02/1900',
    '31/04/2023',
    '00/01/2023',
    '15/00/2023',
    '01/13/2023',
    '32/01/2023',
  ])('refuses %s, which does not exist', (s) => {
    expect(parseDateFr(s, 'facture.dateFacture')).toEqual({
      ok: false,
      error: {
        code: 'DATE_INVALIDE',
        path: 'facture.dateFacture',
        message: `date invalide ("${s}") : cette date n'existe pas`,
      },
    });
    expect(isValidDateFr(s)).toBe(false);
  });

  it.each<[unknown, string]>([
    ['2022-05-15', '"2022-05-15"'],
    ['15/5/2022', '"15/5/2022"'],
    ['15-05-2022', '"15-05-2022"'],
    ['15/05/22', '"15/05/22"'],
    [' 15/05/2022', '" 15/05/2022"'],
    [20220515, '20220515'],
    [null, 'null'],
    [undefined, 'absent'],
  ])('refuses the format %p, quoting it as %s', (input, shown) => {
    expect(parseDateFr(input, 'facture.dateFacture')).toEqual({
      ok: false,
      error: {
        code: 'DATE_INVALIDE',
        path: 'facture.dateFacture',
        message: `date invalide (${shown}) : format attendu jj/mm/aaaa`,
      },
    });
  });

  it('tells whether a dd/MM/yyyy date exists', () => {
    expect(isValidDateFr('15/05/2022')).toBe(true);
    expect(isValidDateFr('15-05-2022')).toBe(false);
  });

  describe('years 1900 to 2199', () => {
    it.each([
      ['01/01/1900', '1900-01-01'],
      ['31/12/2199', '2199-12-31'],
    ])('reads the bound %s', (fr, iso) => {
      expect(parseDateFr(fr)).toEqual({ ok: true, value: iso });
      expect(isValidDateFr(fr)).toBe(true);
    });

    it.each(['31/12/1899', '01/01/2200', '15/05/0222'])('refuses %s, just outside', (fr) => {
      expect(parseDateFr(fr)).toEqual({
        ok: false,
        error: { code: 'DATE_INVALIDE', message: `date invalide ("${fr}") : cette date n'existe pas` },
      });
      expect(isValidDateFr(fr)).toBe(false);
    });

    it('applies the same bounds to ISO dates', () => {
      expect(isValidDateIso('1900-01-01')).toBe(true);
      expect(isValidDateIso('2199-12-31')).toBe(true);
      expect(isValidDateIso('1899-12-31')).toBe(false);
      expect(isValidDateIso('2200-01-01')).toBe(false);
    });
  });

  it('formats back', () => {
    expect(formatDateFr('2022-05-15')).toBe('15/05/2022');
    expect(isValidDateIso('2023-02-31')).toBe(false);
  });

  it.each(['2023-02-31', '15/05/2022', '2022-5-15'])('refuses to format %s, naming it', (iso) =>
    expect(() => formatDateFr(iso)).toThrow(new RangeError(`date ISO invalide : ${iso}`)),
  );
});
