import { dossierError } from './dossier.errors';

describe('dossierError', () => {
  it('carries the JSON path of the offending input when there is one', () => {
    expect(dossierError('SIRET_INVALIDE', 'SIRET invalide', 'lignesImport[0].siret')).toStrictEqual({
      code: 'SIRET_INVALIDE',
      message: 'SIRET invalide',
      path: 'lignesImport[0].siret',
    });
  });

  it('has no path key at all when there is none (not a path set to undefined)', () => {
    const error = dossierError('DOSSIER_INCONNU', 'dossier inconnu : FINSAS008539');
    expect(error).toStrictEqual({ code: 'DOSSIER_INCONNU', message: 'dossier inconnu : FINSAS008539' });
    expect(Object.keys(error)).toEqual(['code', 'message']);
  });
});
