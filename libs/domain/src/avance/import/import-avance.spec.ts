import {
  ACTORS,
  importAvancePoulat,
  poulatAvanceImported,
  POULAT,
  POULAT_AT,
} from '../../testing/seed-fixtures';
import { given } from '../../testing/given-when-then';

describe('ImportAvance', () => {
  it('DOS-1: records AvanceImported for a new numéro ASP: phase AVANCE, statut EN_COURS', () => {
    const state = given().when(importAvancePoulat()).then(poulatAvanceImported);
    expect(state).toMatchObject({
      identity: {
        numeroAsp: POULAT.numeroAsp,
        couloir: 'SAS',
        siret: POULAT.siret,
        numeroAns: POULAT.numeroAns,
      },
      phase: 'AVANCE',
      statut: 'EN_COURS',
      statusChangedAt: POULAT_AT.avanceImport,
      avance: { montantCents: POULAT.montantCents, beneficiaire: POULAT.beneficiaire, payment: null },
    });
  });

  it('IMP-14: appends nothing when the same avance line is imported again (unchanged)', () => {
    given(poulatAvanceImported)
      .when(importAvancePoulat({}, ACTORS.poulat, '2023-01-13T09:00:00.000Z'))
      .then();
  });

  it('IMP-16: refuses AVANCE_DEJA_IMPORTEE a different avance on an existing numéro ASP', () => {
    expect(
      given(poulatAvanceImported)
        .when(importAvancePoulat({ contentHash: 'avance-poulat-v2' }))
        .thenFails('AVANCE_DEJA_IMPORTEE'),
    ).toEqual({
      code: 'AVANCE_DEJA_IMPORTEE',
      message: "la demande d'avance FINSAS008539 a déjà été importée",
      path: 'numeroASP',
    });
  });

  it('IMP-15: refuses COULOIR_INCONNU a couloir missing from the configuration', () => {
    expect(
      given()
        .when(importAvancePoulat({ numeroAsp: 'FINXYZ000001', couloir: 'XYZ' }))
        .thenFails('COULOIR_INCONNU'),
    ).toEqual({ code: 'COULOIR_INCONNU', message: 'couloir inconnu : XYZ', path: 'numeroAns' });
  });
});
