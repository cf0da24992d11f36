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
    [
      'truncated',
      '{"siret":"79256844600019","lignesImport":[{"numLigne":1',
      'JSON invalide : le fichier est tronqué',
    ],
    ['unterminated string', '{"siret":"7925', 'JSON invalide : le fichier est tronqué'],
    ['truncated, then blank lines', '{"a":1\n\n  ', 'JSON invalide : le fichier est tronqué'],
    ['stopped after a comma', '[1,', 'JSON invalide : le fichier est tronqué'],
    ['syntax', '{"siret": 7925,}', 'JSON invalide : erreur de syntaxe (ligne 1, colonne 16)'],
    [
      'not JSON at all (no position from the parser)',
      'siret=79256844600019',
      'JSON invalide : erreur de syntaxe',
    ],
    ['empty', '  \n', 'JSON invalide : le fichier est vide'],
  ])('refuses %s JSON with a French message', (_label, text, message) => {
    expect(parseJsonSafely(buf(text))).toEqual({
      ok: false,
      errors: [{ path: '', code: 'JSON_INVALIDE', message }],
    });
  });

  it.each([
    ['on the third line', '{\n  "a": 1,\n  "b" 2\n}', 'ligne 3, colonne 7'],
    ['on a line break inside a string, placed at the end of its line', '{"a":"x\ny"}', 'ligne 1, colonne 8'],
    ['after leading blanks, which do not make it a truncation', '          [1 2]', 'ligne 1, colonne 14'],
  ])('locates a syntax error by line and column %s', (_label, text, position) => {
    expect(parseJsonSafely(buf(text))).toEqual({
      ok: false,
      errors: [
        { path: '', code: 'JSON_INVALIDE', message: `JSON invalide : erreur de syntaxe (${position})` },
      ],
    });
  });

  it('refuses a file that is not UTF-8 with a French message', () => {
    expect(parseJsonSafely(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({
      ok: false,
      errors: [{ path: '', code: 'ENCODAGE_INVALIDE', message: "le fichier n'est pas encodé en UTF-8" }],
    });
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

  describe('depth, measured on the text', () => {
    const depthRefusal = (position: string) => ({
      ok: false,
      errors: [
        {
          path: '',
          code: 'LIMITE_DEPASSEE',
          message: `JSON trop imbriqué : plus de 2 niveaux (${position})`,
        },
      ],
    });

    it.each([
      ['arrays', '[[[1]]]', 'ligne 1, colonne 3'],
      ['objects', '{"a":{"b":{}}}', 'ligne 1, colonne 11'],
      ['objects on several lines', '{\n "a": {\n  "b": {}}}', 'ligne 3, colonne 8'],
      ['a deep array after a closed one', '[[1],[[1]]]', 'ligne 1, colonne 7'],
      ['a deep array after a string', '["a",[[1]]]', 'ligne 1, colonne 7'],
      ['a deep array after a longer string', '["ab",[[1]]]', 'ligne 1, colonne 8'],
      ['a deep array after a string holding an escaped quote', '["\\"",[[1]]]', 'ligne 1, colonne 8'],
      ['a deep array after a string holding an escaped backslash', '["\\\\",[[1]]]', 'ligne 1, colonne 8'],
    ])('refuses 3 levels of %s when 2 are allowed, locating the third', (_label, text, position) => {
      expect(parseJsonSafely(buf(text), { maxDepth: 2 })).toEqual(depthRefusal(position));
    });

    it.each([
      ['sibling arrays', '[[],[]]', [[], []]],
      ['sibling objects in an array', '[{},{}]', [{}, {}]],
      ['sibling objects in an object', '{"a":{},"b":{}}', { a: {}, b: {} }],
      ['sibling arrays holding values', '[[1, 2], [3]]', [[1, 2], [3]]],
      ['brackets after an escaped quote inside a string', '["\\"[[{{"]', ['"[[{{']],
    ])('accepts 2 levels of %s when 2 are allowed', (_label, text, value) => {
      expect(parseJsonSafely(buf(text), { maxDepth: 2 })).toEqual({ ok: true, value });
    });
  });

  describe('size, at the boundary', () => {
    const text = '{"a":"0123456789"}'; // 18 bytes

    it('accepts a file of exactly maxBytes', () => {
      expect(parseJsonSafely(buf(text), { maxBytes: 18 })).toEqual({ ok: true, value: { a: '0123456789' } });
    });

    it('refuses a file one byte over maxBytes, giving both sizes', () => {
      expect(parseJsonSafely(buf(text), { maxBytes: 17 })).toEqual({
        ok: false,
        errors: [
          {
            path: '',
            code: 'LIMITE_DEPASSEE',
            message: 'fichier trop volumineux : 18 octets pour 17 au plus',
          },
        ],
      });
    });
  });

  describe('array length, at the boundary', () => {
    it('accepts an array of exactly maxArrayLength elements', () => {
      expect(parseJsonSafely(buf('{"lignesImport":[1,2,3]}'), { maxArrayLength: 3 })).toEqual({
        ok: true,
        value: { lignesImport: [1, 2, 3] },
      });
    });

    it('refuses an array one element too long, with its path and both lengths', () => {
      expect(parseJsonSafely(buf('{"a":[[1,2,3,4]]}'), { maxArrayLength: 3 })).toEqual({
        ok: false,
        errors: [
          { path: 'a[0]', code: 'LIMITE_DEPASSEE', message: 'liste trop longue : 4 éléments pour 3 au plus' },
        ],
      });
    });
  });

  describe('forbidden keys', () => {
    it('names the key in a French message', () => {
      expect(parseJsonSafely(buf('{"a":{"__proto__":{}},"b":[{"constructor":1}]}'))).toEqual({
        ok: false,
        errors: [
          { path: 'a.__proto__', code: 'CHAMP_INCONNU', message: 'champ inconnu : __proto__' },
          { path: 'b[0].constructor', code: 'CHAMP_INCONNU', message: 'champ inconnu : constructor' },
        ],
      });
    });

    it('reports a forbidden key once under a field named "undefined"', () => {
      expect(parseJsonSafely(buf('{"undefined":{"prototype":1}}'))).toEqual({
        ok: false,
        errors: [
          { path: 'undefined.prototype', code: 'CHAMP_INCONNU', message: 'champ inconnu : prototype' },
        ],
      });
    });

    it('finds forbidden keys from the root when no path is given', () => {
      expect(findForbiddenKeys(JSON.parse('{"a":{"constructor":1}}') as unknown)).toEqual([
        { path: 'a.constructor', code: 'CHAMP_INCONNU', message: 'champ inconnu : constructor' },
      ]);
    });
  });
});
