import { DEFAULT_JSON_LIMITS, findForbiddenKeys, parseJsonSafely } from './parse-json-safely';

const buf = (text: string) => Buffer.from(text, 'utf8');

describe('parseJsonSafely', () => {
  it('reads a well-formed UTF-8 file, accents included', () => {
    expect(parseJsonSafely(buf('{"nom":"Pièce justificative"}'))).toEqual({
      ok: true,
      value: { nom: 'Pièce justificative' },
    });
  });

  it('tolerates a UTF-8 byte order mark', () => {
    expect(parseJsonSafely(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf('{"a":1}')]))).toEqual({
      ok: true,
      value: { a: 1 },
    });
  });

  it('refuses a file that is not UTF-8 (Latin-1 accents)', () => {
    const r = parseJsonSafely(Buffer.from('{"nom":"Pièce"}', 'latin1'));
    expect(r).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'ENCODAGE_INVALIDE', path: '' })],
    });
  });

  it.each([
    ['truncated', '{"siret":"79256844600019","lignesImport":[{"numLigne":1', 'tronqué'],
    ['unterminated string', '{"siret":"7925', 'JSON invalide'],
    ['syntax', '{"siret": 7925,}', 'syntaxe'],
    ['not JSON at all', 'siret=79256844600019', 'syntaxe'],
    ['empty', '  \n', 'vide'],
  ])('refuses %s JSON with a French message', (_label, text, words) => {
    const r = parseJsonSafely(buf(text));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toEqual(expect.objectContaining({ code: 'JSON_INVALIDE', path: '' }));
      expect(r.errors[0]!.message).toContain(words);
      expect(r.errors[0]!.message).not.toMatch(/Unexpected|Expected|position/);
    }
  });

  it('locates a syntax error by line and column', () => {
    const r = parseJsonSafely(buf('{\n  "a": 1,\n  "b" 2\n}'));
    expect(!r.ok && r.errors[0]!.message).toContain('ligne 3');
  });

  it('refuses nesting deeper than the limit before parsing, and counts brackets in strings as text', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = parseJsonSafely(buf(deep));
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'LIMITE_DEPASSEE' })] });
    expect(parseJsonSafely(buf(`${'['.repeat(32)}${']'.repeat(32)}`)).ok).toBe(true);
    expect(parseJsonSafely(buf(`${'['.repeat(33)}${']'.repeat(33)}`)).ok).toBe(false);
    expect(parseJsonSafely(buf(`{"a":"${'['.repeat(100)}\\"{{{"}`)).ok).toBe(true);
    expect(parseJsonSafely(buf('[[[1]]]'), { maxDepth: 2 }).ok).toBe(false);
  });

  it('refuses an array longer than the limit, naming it', () => {
    const r = parseJsonSafely(buf('{"lignesImport":[1,2,3,4]}'), { maxArrayLength: 3 });
    expect(r).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'LIMITE_DEPASSEE', path: 'lignesImport' })],
    });
    expect(DEFAULT_JSON_LIMITS.maxArrayLength).toBe(100_000);
  });

  it('refuses a file larger than maxBytes', () => {
    const r = parseJsonSafely(buf('{"a":"0123456789"}'), { maxBytes: 10 });
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ code: 'LIMITE_DEPASSEE' })] });
  });

  it('refuses __proto__, constructor and prototype keys wherever they are, with their paths', () => {
    const text =
      '{"__proto__":{"polluted":true},"lignesImport":[{"numLigne":1,"facture":{"constructor":{"prototype":{"x":1}}}}]}';
    const r = parseJsonSafely(buf(text));
    expect(r).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({ path: '__proto__', code: 'CHAMP_INCONNU' }),
        expect.objectContaining({ path: 'lignesImport[0].facture.constructor', code: 'CHAMP_INCONNU' }),
      ],
    });
  });

  it('finds forbidden keys below a given path', () => {
    const value = JSON.parse('{"a":[{"prototype":1}]}') as unknown;
    expect(findForbiddenKeys(value, 'lignesImport[2]')).toEqual([
      expect.objectContaining({ path: 'lignesImport[2].a[0].prototype' }),
    ]);
  });
});
