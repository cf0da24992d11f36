import { createHash } from 'node:crypto';
import { canonicalJson, canonicalJsonByHand, contentHash, fileSha256 } from './content-hash';

describe('contentHash', () => {
  const line = {
    numLigne: 1,
    numeroASP: 'FINPHA004979',
    facture: { dateFacture: '2022-05-15', montantCents: 100000 },
  };

  it('ignores key order and numLigne, so a resent line is recognised', () => {
    const resent = {
      facture: { montantCents: 100000, dateFacture: '2022-05-15' },
      numeroASP: 'FINPHA004979',
      numLigne: 7,
    };
    expect(contentHash(resent)).toBe(contentHash(line));
    expect(contentHash(line)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when the content changes', () => {
    expect(contentHash({ ...line, facture: { ...line.facture, montantCents: 100001 } })).not.toBe(
      contentHash(line),
    );
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: 'é', u: undefined })).toBe(
      '{"a":"é","b":[{"c":null,"d":1}]}',
    );
  });

  it('hashes a file as received', () => {
    expect(fileSha256(Buffer.from('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('writes with the native fast path exactly what the hand-written walk writes', () => {
    const withOwnProto = JSON.parse('{"b":1,"__proto__":{"x":1},"a":[{"__proto__":2}]}') as unknown;
    const nullProto = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    // Deeper than the fast path goes.
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    const corpus: unknown[] = [
      null,
      undefined,
      0,
      -0,
      NaN,
      Infinity,
      1e21,
      'é\u2028"\\',
      '\ud800',
      true,
      [],
      {},
      [1, undefined, 'x', null],
      [undefined],
      { a: 1, b: { c: [1, 2, { d: null, e: 'f' }] } },
      { b: 1, a: 2 },
      { a: { d: 1, c: 2 } },
      { 10: 'x', 9: 'y', a: 1 },
      { a: { 10: 'x', 9: 'y' } },
      { a: undefined, b: 1 },
      { b: [{ d: 1, c: null }], a: 'é', u: undefined },
      { a: new Date(0) },
      { a: { toJSON: () => 'x' } },
      { a: () => 1 },
      { a: Symbol('s') },
      { a: nullProto },
      nullProto,
      withOwnProto,
      { a: deep },
      { numLigne: 3, contentHash: 'h', b: 1, a: 2 },
      { a: 1, numLigne: 3 },
      {
        numeroAsp: 'FINPHA004979',
        siret: '80125271900415',
        numLigne: 1,
        facture: { dateFacture: '2022-05-15', montantCents: 100000 },
        beneficiaireHistorique: null,
        declaredPieces: [{ nomFichier: 'VA.pdf', type: 'VA' }],
      },
    ];
    for (const value of corpus) {
      expect(canonicalJson(value)).toBe(canonicalJsonByHand(value));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        delete rest.numLigne;
        delete rest.contentHash;
        expect(canonicalJson(value, new Set(['numLigne', 'contentHash']))).toBe(canonicalJsonByHand(rest));
      }
    }
  });

  it('writes null where JSON has no value: undefined, and an undefined or function array item', () => {
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJsonByHand(undefined)).toBe('null');
    expect(canonicalJson([1, undefined, 'x', () => 1])).toBe('[1,null,"x",null]');
    expect(canonicalJsonByHand([undefined, { a: [undefined] }])).toBe('[null,{"a":[null]}]');
  });

  it('writes an object that is not plain as the hand-written walk does, not through its toJSON', () => {
    const date = new Date(0);
    expect(canonicalJson(date)).toBe(canonicalJsonByHand(date));
    expect(canonicalJson(date)).toBe('{}');
    expect(canonicalJson([date])).toBe(canonicalJsonByHand([date]));
    expect(canonicalJson([date])).toBe('[{}]');
    expect(canonicalJson([{ a: 1, b: date }])).toBe('[{"a":1,"b":{}}]');
  });

  it('leaves numLigne and contentHash out of a line with an own __proto__ key or without prototype', () => {
    const withOwnProto = JSON.parse(
      '{"numLigne":3,"contentHash":"h","__proto__":{"x":1},"b":1,"a":2}',
    ) as unknown;
    const renumbered = JSON.parse('{"numLigne":9,"__proto__":{"x":1},"a":2,"b":1}') as unknown;
    expect(canonicalJson(withOwnProto, new Set(['numLigne', 'contentHash']))).toBe(
      '{"__proto__":{"x":1},"a":2,"b":1}',
    );
    expect(contentHash(renumbered)).toBe(contentHash(withOwnProto));
    expect(contentHash(withOwnProto)).toBe(
      createHash('sha256').update('{"__proto__":{"x":1},"a":2,"b":1}').digest('hex'),
    );

    const nullProto = (data: Record<string, unknown>): unknown =>
      Object.assign(Object.create(null) as object, data);
    expect(canonicalJson(nullProto({ numLigne: 3, b: 1, a: 2 }), new Set(['numLigne']))).toBe(
      '{"a":2,"b":1}',
    );
    expect(contentHash(nullProto({ numLigne: 3, b: 1, a: 2 }))).toBe(
      contentHash({ a: 2, b: 1, numLigne: 4 }),
    );
  });

  it('hashes the content as before the fast path (hashes already stored must still match)', () => {
    expect(contentHash(line)).toBe(
      createHash('sha256')
        .update('{"facture":{"dateFacture":"2022-05-15","montantCents":100000},"numeroASP":"FINPHA004979"}')
        .digest('hex'),
    );
  });
});
