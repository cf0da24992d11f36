import { formatDateFr, isValidDateFr, isValidDateIso, parseDateFr } from './date-fr.valueType';

describe('IMP-5: DateFr', () => {
  it.each([
    ['15/05/2022', '2022-05-15'],
    ['10/01/2023', '2023-01-10'],
    ['29/02/2024', '2024-02-29'],
    ['29/02/2000', '2000-02-29'],
    ['31/12/2030', '2030-12-31'],
  ])('reads %s as %s', (fr, iso) => expect(parseDateFr(fr)).toEqual({ ok: true, value: iso }));

  it.each(['31/02/2023', '29/02/2023', '29/02/1900', '31/04/2023', '00/01/2023', '01/13/2023', '32/01/2023'])(
    'refuses %s, which does not exist',
    (s) => {
      const r = parseDateFr(s, 'facture.dateFacture');
      expect(r).toEqual({
        ok: false,
        error: expect.objectContaining({
          code: 'DATE_INVALIDE',
          path: 'facture.dateFacture',
          message: expect.stringContaining("n'existe pas"),
        }),
      });
    },
  );

  it.each(['2022-05-15', '15/5/2022', '15-05-2022', '15/05/22', ' 15/05/2022', 20220515, null])(
    'refuses the format %p',
    (s) => {
      const r = parseDateFr(s);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain('jj/mm/aaaa');
    },
  );

  it('refuses implausible years', () => expect(isValidDateFr('15/05/0222')).toBe(false));

  it('formats back', () => {
    expect(formatDateFr('2022-05-15')).toBe('15/05/2022');
    expect(isValidDateIso('2023-02-31')).toBe(false);
    expect(() => formatDateFr('2023-02-31')).toThrow(RangeError);
  });
});
