import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
} from '../../testing/seed-fixtures';
import type { Actor } from '../../dossier/dossier.commands';

const edited = event('ModificationDraftEdited', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  field: 'contactSupport',
  from: POULAT.contact,
  to: 'test123@gmail.com',
  editedAt: POULAT_AT.edit,
});
const decline = (actor: Actor, at: string = POULAT_AT.submit) =>
  command('DeclineModification', { numeroAsp: POULAT.numeroAsp }, actor, at);

describe('DeclineModification ("Ne pas modifier")', () => {
  it('MOD-11: the fournisseur keeps its current version: draft discarded, back to EN_COURS', () => {
    const state = given(...POULAT_A_MODIFIER, edited)
      .when(decline(ACTORS.poulat))
      .then(
        event('ModificationDeclined', {
          numeroAsp: POULAT.numeroAsp,
          version: 'M1',
          declinedBy: 'fournisseur',
          declinedAt: POULAT_AT.submit,
        }),
      );
    expect(state).toMatchObject({
      statut: 'EN_COURS',
      openRound: null,
      currentVersion: 0,
      lastRoundOutcome: 'declined',
      champs: { contactSupport: POULAT.contact },
    });
  });

  it('MOD-11: assistance may decline on the supplier behalf, and is recorded as such', () => {
    const [declined] = given(...POULAT_A_MODIFIER)
      .when(decline(ACTORS.assistance))
      .events();
    expect(declined).toMatchObject({ data: { declinedBy: 'assistance' } });
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE from J+20 on', () => {
    given(...POULAT_A_MODIFIER)
      .when(decline(ACTORS.poulat, POULAT_AT.expiry))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses STATUT_INCOMPATIBLE outside a modification round', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(decline(ACTORS.poulat))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      '« Ne pas modifier » impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « A modifier »',
    );
  });
});
