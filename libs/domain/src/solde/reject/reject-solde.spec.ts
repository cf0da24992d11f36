import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  importSoldeOfficine,
  OFFICINE,
  OFFICINE_AVANCE_PAYEE,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_SOLDE_EN_COURS,
  poulatAvanceImported,
} from '../../testing/seed-fixtures';

const AT = '2023-08-21T13:00:00.000Z';
const reject = (motif: string, numeroAsp: string = POULAT.numeroAsp) =>
  command('RejectSolde', { numeroAsp, motif }, ACTORS.gestionnaire, AT);

describe('RejectSolde', () => {
  it('SOL-11: a gestionnaire rejects an EN_COURS solde with a motif: REJETEE', () => {
    const state = given(...POULAT_SOLDE_EN_COURS)
      .when(reject('  VA non signée par le bénéficiaire '))
      .then({
        type: 'SoldeRejected',
        data: {
          numeroAsp: POULAT.numeroAsp,
          motif: 'VA non signée par le bénéficiaire',
          gestionnaireId: ACTORS.gestionnaire.id,
          rejectedAt: AT,
        },
      });
    expect(state).toMatchObject({ statut: 'REJETEE', statusChangedAt: AT, rejection: { code: null } });
  });

  it('SOL-11: refuses MOTIF_OBLIGATOIRE an empty motif', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(reject(' '))
        .thenFails('MOTIF_OBLIGATOIRE'),
    ).toEqual({ code: 'MOTIF_OBLIGATOIRE', message: 'le motif du rejet est obligatoire', path: 'motif' });
  });

  it('SOL-11: refuses STATUT_INCOMPATIBLE unless the solde is EN_COURS (A_MODIFIER, already rejected automatically)', () => {
    expect(
      given(...POULAT_A_MODIFIER)
        .when(reject('incomplet'))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Rejet impossible : la demande de solde est au statut « A modifier » ; il faut une demande de solde « En cours »',
    );
    const autoRejected = given(...OFFICINE_AVANCE_PAYEE)
      .when(importSoldeOfficine({ beneficiaire: OFFICINE.autreBeneficiaire }))
      .events();
    given(...OFFICINE_AVANCE_PAYEE, ...autoRejected)
      .when(reject('incomplet', OFFICINE.numeroAsp))
      .thenFails('STATUT_INCOMPATIBLE');
  });

  it('SOL-11: refuses STATUT_INCOMPATIBLE an avance EN_COURS: only a solde may be rejected', () => {
    expect(
      given(poulatAvanceImported).when(reject('incomplet')).thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      "Rejet impossible : la demande d'avance est au statut « En cours » ; il faut une demande de solde « En cours »",
    );
  });
});
