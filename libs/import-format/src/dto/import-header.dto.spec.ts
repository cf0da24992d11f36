import { validateImportFile } from '../validate-import-file';
import { avanceSeed } from '../testing/seed-import-files';

// impId is echoed by the supplier's software: null, a text of 100 characters at most, or a safe integer.

describe('the header impId', () => {
  it.each([
    ['null', null],
    ['a text', 'IMP-2023-001'],
    ['an empty text', ''],
    ['a text of 100 characters', 'x'.repeat(100)],
    ['an integer', 42],
    ['a negative integer', -7],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ])('accepts %s and keeps it in the header', (_label, impId) => {
    const r = validateImportFile('avance', { ...avanceSeed(), impId });
    expect(r.ok && r.header.impId).toBe(impId);
  });

  it.each([
    ['a text of 101 characters', 'x'.repeat(101)],
    ['a decimal number', 1.5],
    ['an unsafe integer', 2 ** 53],
    ['a boolean', true],
    ['an object', { id: 1 }],
    ['a list', [1]],
  ])('refuses %s with the French message', (_label, impId) => {
    expect(validateImportFile('avance', { ...avanceSeed(), impId })).toEqual({
      ok: false,
      errors: [{ path: 'impId', code: 'CHAMP_INVALIDE', message: 'impId : null, texte ou entier attendu' }],
    });
  });
});
