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

  it('isValidFiness accepts a 9-digit FINESS whose key holds', () =>
    expect(isValidFiness('620006494')).toBe(true));

  // Each of these passes the Luhn key: only the count of 9 digits refuses them.
  it.each([
    ['a wrong Luhn key', '620006495'],
    ['a single digit', '0'],
    ['a leading zero (10 digits)', '0620006494'],
    ['a trailing digit (10 digits)', '6200064944'],
  ])('isValidFiness refuses %s: %p', (_label, s) => expect(isValidFiness(s)).toBe(false));

  it.each([
    ['62000649', 'FINESS invalide ("62000649") : 9 chiffres attendus'],
    ['A20006494', 'FINESS invalide ("A20006494") : 9 chiffres attendus'],
    ['620006495', 'FINESS invalide ("620006495") : clé de contrôle (Luhn) incorrecte'],
    [620006494, 'FINESS invalide (620006494) : 9 chiffres attendus'],
  ])('parseFiness refuses %p with the message %p', (input, message) =>
    expect(parseFiness(input, 'beneficiaire')).toEqual({
      ok: false,
      error: { code: 'FINESS_INVALIDE', message, path: 'beneficiaire' },
    }),
  );

  it('refuses a number', () => expect(parseFiness(620006494).ok).toBe(false));
});
