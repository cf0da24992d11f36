import { canonicalJson, contentHash, fileSha256 } from './content-hash';

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
});
