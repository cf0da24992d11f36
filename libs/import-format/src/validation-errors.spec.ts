import 'reflect-metadata';
import { IsString, ValidationError, validateSync } from 'class-validator';
import { toImportErrors } from './validation-errors';

// class-validator's error tree → flat {path, code, message}: the report a supplier reads.

const error = (fields: Partial<ValidationError>): ValidationError =>
  Object.assign(new ValidationError(), fields);

const withContext = (context: unknown): ValidationError =>
  error({
    property: 'nom',
    value: 1,
    constraints: { isNom: 'nom must be a string' },
    contexts: { isNom: context },
  });

class WithoutContext {
  @IsString()
  nom: unknown = 1;
}

class WithForeignContext {
  @IsString({ context: { severity: 'error' } })
  nom: unknown = 1;
}

describe('toImportErrors: codes and messages', () => {
  it('takes the code from the constraint context and keeps our French message', () => {
    expect(toImportErrors([withContext({ code: 'SIRET_INVALIDE' })], 'ligne')).toEqual([
      { path: 'ligne.nom', code: 'SIRET_INVALIDE', message: 'nom must be a string' },
    ]);
  });

  it.each([
    ['a decorator without context', new WithoutContext()],
    ['a context without code', new WithForeignContext()],
  ])("falls back to CHAMP_INVALIDE 'valeur invalide' for %s, never English", (_label, dto) => {
    expect(toImportErrors(validateSync(dto), '')).toEqual([
      { path: 'nom', code: 'CHAMP_INVALIDE', message: 'valeur invalide' },
    ]);
  });

  it.each([
    ['null', null],
    ['a text', 'SIRET_INVALIDE'],
    ['a numeric code', { code: 42 }],
  ])('falls back to CHAMP_INVALIDE for a context that is %s', (_label, context) => {
    expect(toImportErrors([withContext(context)], '')).toEqual([
      { path: 'nom', code: 'CHAMP_INVALIDE', message: 'valeur invalide' },
    ]);
  });

  it.each([
    ['whitelistValidation', 'CHAMP_INCONNU', 'champ inconnu : nom'],
    ['nestedValidation', 'CHAMP_INVALIDE', 'objet attendu'],
    ['unknownValue', 'CHAMP_INVALIDE', 'objet attendu'],
  ])("replaces class-validator's own %s by a French message", (name, code, message) => {
    const e = error({ property: 'nom', value: 1, constraints: { [name]: 'English message' } });
    expect(toImportErrors([e], '')).toEqual([{ path: 'nom', code, message }]);
  });
});

describe('toImportErrors: paths', () => {
  const leaf = (property: string): ValidationError =>
    error({
      property,
      value: 'x',
      constraints: { isNom: 'invalide' },
      contexts: { isNom: { code: 'CHAMP_INVALIDE' } },
    });

  it('writes the children of a list as indexes, from 10 on too', () => {
    const pieces = error({
      property: 'piecesJustificatives',
      value: Array.from({ length: 11 }, () => ({})),
      children: [error({ property: '10', value: {}, children: [leaf('nomFichier')] })],
    });
    expect(toImportErrors([pieces], 'lignesImport[0]').map((e) => e.path)).toEqual([
      'lignesImport[0].piecesJustificatives[10].nomFichier',
    ]);
  });

  it('writes a digit key of an object, and a non-index key of a list, as names', () => {
    const objet = error({ property: 'facture', value: { 7: 'x' }, children: [leaf('7')] });
    const liste = error({ property: 'pieces', value: [], children: [leaf('x1'), leaf('1x')] });
    expect(toImportErrors([leaf('7'), objet, liste], 'ligne').map((e) => e.path)).toEqual([
      'ligne.7',
      'ligne.facture.7',
      'ligne.pieces.x1',
      'ligne.pieces.1x',
    ]);
  });
});
