import { validateImportFile } from './validate-import-file';
import { avanceSeed } from './testing/seed-import-files';

// What a file can hold that is not a plain line: forbidden keys, non-objects, deep nesting.

const line = (file: { lignesImport: Array<Record<string, unknown>> }, i = 0) => file.lignesImport[i]!;

const nested = (levels: number, wrap: (inner: unknown) => unknown): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
};

describe('validateImportFile: input that is not a plain line', () => {
  it('refuses a __proto__ key in the header with the French message', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":1},"numeroAns":"pbrSAS0012","siret":"79256844600019","lignesImport":[{}]}',
    ) as unknown;
    expect(validateImportFile('avance', body)).toEqual({
      ok: false,
      errors: [{ path: '__proto__', code: 'CHAMP_INCONNU', message: 'champ inconnu : __proto__' }],
    });
  });

  it('refuses a line that is not an object with the French message', () => {
    const file = avanceSeed();
    file.lignesImport.push(42 as unknown as Record<string, unknown>);
    const r = validateImportFile('avance', file);
    expect(r.ok && r.lines[1]).toEqual({
      index: 1,
      numeroASP: null,
      ok: false,
      numLigne: null,
      errors: [{ path: 'lignesImport[1]', code: 'CHAMP_INVALIDE', message: 'ligne : objet attendu' }],
    });
  });

  it.each(['constructor', 'prototype'])('reports a %s key of a line once, as an unknown field', (key) => {
    const file = avanceSeed();
    file.lignesImport[0] = JSON.parse(
      JSON.stringify(line(file)).replace('"numLigne":1', `"numLigne":1,"${key}":{"prototype":{}}`),
    ) as Record<string, unknown>;
    const r = validateImportFile('avance', file);
    expect(r.ok && r.lines[0]).toEqual(
      expect.objectContaining({
        errors: [
          { path: `lignesImport[0].${key}`, code: 'CHAMP_INCONNU', message: `champ inconnu : ${key}` },
        ],
      }),
    );
  });

  it.each([
    ['arrays', (inner: unknown) => [inner]],
    ['objects', (inner: unknown) => ({ a: inner })],
  ])('refuses an unknown field nested 200 000 %s deep without walking it all', (_label, wrap) => {
    const file = avanceSeed();
    line(file).annexe = nested(200_000, wrap);
    const r = validateImportFile('avance', file);
    expect(r.ok && r.lines[0]).toEqual(
      expect.objectContaining({
        ok: false,
        errors: [
          { path: 'lignesImport[0].annexe', code: 'CHAMP_INCONNU', message: 'champ inconnu : annexe' },
        ],
      }),
    );
  });

  // The copy given to class-validator stops 8 levels below the line (no line is valid that deep):
  // the lists nested in piecesJustificatives are reported down to that level, not below.
  it('reports lists nested in piecesJustificatives down to 8 levels below the line', () => {
    const file = avanceSeed();
    line(file).piecesJustificatives = [nested(10, (inner) => [inner])];
    const r = validateImportFile('avance', file);
    expect(r.ok && r.lines[0]).toEqual(
      expect.objectContaining({
        errors: [
          {
            path: 'lignesImport[0].piecesJustificatives[0][0][0][0][0][0][0]',
            code: 'CHAMP_INVALIDE',
            message: 'objet attendu',
          },
        ],
      }),
    );
  });
});
