import { formatIban, isValidIban, maskIban, parseIban } from './iban.valueType';

describe('ENR-2: Iban', () => {
  it.each([
    'FR7630006000011234567890189',
    'fr76 3000 6000 0112 3456 7890 189',
    'DE89370400440532013000',
    'BE68539007547034',
    'ES9121000418450200051332',
    'IT60X0542811101000000123456',
    'LU280019400644750000',
    'MC5811222000010123456789030',
    'NL91ABNA0417164300',
    'PT50000201231234567890154',
    'GB29NWBK60161331926819',
    'CH9300762011623852957',
  ])('accepts %s', (s) => expect(isValidIban(s)).toBe(true));

  it('normalises spaces and case', () => {
    expect(parseIban(' fr76 3000 6000 0112 3456 7890 189 ')).toEqual({
      ok: true,
      value: 'FR7630006000011234567890189',
    });
  });

  it.each([
    ['FR7630006000011234567890188', 'clé de contrôle'],
    ['FR763000600001123456789018', '27 caractères'],
    ['DE8937040044053201300', '22 caractères'],
    ['7630006000011234567890189', 'format attendu'],
    ['FR76-3000-6000', 'format attendu'],
    ['XX00123', '15 à 34'],
  ])('refuses %s (%s) without quoting it', (s, reason) => {
    const r = parseIban(s, 'iban');
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'IBAN_INVALIDE',
        path: 'iban',
        message: expect.stringContaining(reason),
      }),
    });
    if (!r.ok) expect(r.error.message).not.toContain(s);
  });

  it('refuses a non-string', () => expect(parseIban(42).ok).toBe(false));

  it('says a text is expected when given something else', () =>
    expect(parseIban(42, 'iban')).toEqual({
      ok: false,
      error: { code: 'IBAN_INVALIDE', message: 'IBAN invalide : texte attendu', path: 'iban' },
    }));

  it.each([
    [
      '1FR7630006000011234567890189',
      'IBAN invalide : format attendu : code pays (2 lettres), clé (2 chiffres), puis lettres et chiffres',
    ],
    [
      'FR7630006000011234567890189!',
      'IBAN invalide : format attendu : code pays (2 lettres), clé (2 chiffres), puis lettres et chiffres',
    ],
    [
      'FR7A30006000011234567890189',
      'IBAN invalide : format attendu : code pays (2 lettres), clé (2 chiffres), puis lettres et chiffres',
    ],
    ['FR763000600001123456789018', 'IBAN invalide : un IBAN FR compte 27 caractères (reçu 26)'],
    ['ZZ02A111111111', 'IBAN invalide : un IBAN compte de 15 à 34 caractères'],
    ['ZZ47A111111111111111111111111111111', 'IBAN invalide : un IBAN compte de 15 à 34 caractères'],
    ['FR7630006000011234567890188', 'IBAN invalide : clé de contrôle incorrecte'],
  ])('refuses %s with the message %p', (s, message) => {
    expect(parseIban(s)).toEqual({ ok: false, error: { code: 'IBAN_INVALIDE', message } });
    expect(isValidIban(s)).toBe(false);
  });

  it('holds a country outside the list to the ISO bounds, 15 to 34 characters', () => {
    // Synthetic IBANs of an unlisted country with a right mod-97 key: 14, 15, 34 and 35 characters.
    expect(isValidIban('ZZ02A111111111')).toBe(false);
    expect(isValidIban('ZZ78A1111111111')).toBe(true);
    expect(isValidIban('ZZ28A11111111111111111111111111111')).toBe(true);
    expect(isValidIban('ZZ47A111111111111111111111111111111')).toBe(false);
  });

  it('accepts a Norwegian IBAN, the shortest of the list (15 characters)', () =>
    expect(parseIban('NO93 8601 1117 947')).toEqual({ ok: true, value: 'NO9386011117947' }));

  it('ENR-5: masks all but the last 4 characters', () => {
    const masked = maskIban('FR7630006000011234567890189');
    expect(masked).toBe('**** **** **** **** **** ***0 189');
    expect(masked.replace(/[* ]/g, '')).toBe('0189');
  });

  it('formats by groups of 4', () =>
    expect(formatIban('FR7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189'));
});
