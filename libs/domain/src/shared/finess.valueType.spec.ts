import { isValidFiness, parseFiness } from './finess.valueType';

describe('IMP-2: Finess', () => {
  it('accepts the seeds FINESS géographique', () => {
    expect(parseFiness('620006494')).toEqual({ ok: true, value: '620006494' });
  });

  it('refuses a wrong Luhn key', () => {
    const r = parseFiness('620006495', 'lignesImport[0].beneficiaire');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'FINESS_INVALIDE', path: 'lignesImport[0].beneficiaire' }),
    });
  });

  it.each(['62000649', '6200064940', '62000649A', ''])('refuses %p', (s) =>
    expect(isValidFiness(s)).toBe(false),
  );

  it('refuses a number', () => expect(parseFiness(620006494).ok).toBe(false));
});
