import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  poulatAvanceImported,
  poulatModificationRequested,
  requestModificationPoulat,
} from '../../testing/seed-fixtures';

describe('RequestModification', () => {
  it('MOD-3: a gestionnaire sends an EN_COURS solde back with its comment: A_MODIFIER, version M1, J+10 and J+20 set', () => {
    const state = given(...POULAT_SOLDE_EN_COURS)
      .when(requestModificationPoulat('test modif'))
      .then(poulatModificationRequested);
    expect(state).toMatchObject({
      statut: 'A_MODIFIER',
      statusChangedAt: POULAT_AT.modificationRequest,
      openRound: {
        version: 'M1',
        commentaire: 'test modif',
        reminderSent: false,
        draftChamps: { contactSupport: POULAT.contact },
      },
    });
  });

  it('MOD-2: trims the comment', () => {
    const [requested] = given(...POULAT_SOLDE_EN_COURS)
      .when(requestModificationPoulat('  test modif \n'))
      .events();
    expect(requested).toMatchObject({ data: { commentaire: 'test modif' } });
  });

  it('TIM-1: counts J+10 / J+20 in Paris calendar days, keeping the time of day across a DST change', () => {
    const at = '2023-03-20T09:00:00.000Z'; // 10:00 in Paris (CET)
    const [requested] = given(...POULAT_SOLDE_EN_COURS)
      .when(requestModificationPoulat('test modif', at))
      .events();
    // 10:00 in Paris again, now CEST.
    expect(requested).toMatchObject({
      data: { reminderDueAt: '2023-03-30T08:00:00.000Z', expiresAt: '2023-04-09T08:00:00.000Z' },
    });
  });

  it('TIM-1: takes the durations from configuration (PT2S in tests)', () => {
    const cmd = command(
      'RequestModification',
      { numeroAsp: POULAT.numeroAsp, commentaire: 'test modif', reminderAfter: 'PT1S', expiryAfter: 'PT2S' },
      ACTORS.gestionnaire,
      '2023-08-07T08:00:00.000Z',
    );
    const [requested] = given(...POULAT_SOLDE_EN_COURS)
      .when(cmd)
      .events();
    expect(requested).toMatchObject({
      data: { reminderDueAt: '2023-08-07T08:00:01.000Z', expiresAt: '2023-08-07T08:00:02.000Z' },
    });
  });

  it('VER-1: numbers the next round M2 after a first one, whatever its outcome', () => {
    const declined = event('ModificationDeclined', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      declinedBy: 'assistance',
      declinedAt: '2023-08-09T10:00:00.000Z',
    });
    const [requested] = given(...POULAT_A_MODIFIER, declined)
      .when(requestModificationPoulat('pièce manquante', '2023-08-10T10:00:00.000Z'))
      .events();
    expect(requested).toMatchObject({ data: { version: 'M2', round: 2 } });
  });

  it('MOD-2: refuses COMMENTAIRE_OBLIGATOIRE an empty or blank comment', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(requestModificationPoulat(''))
        .thenFails('COMMENTAIRE_OBLIGATOIRE'),
    ).toEqual({
      code: 'COMMENTAIRE_OBLIGATOIRE',
      message:
        'le commentaire du gestionnaire est obligatoire : il indique au fournisseur les modifications attendues',
      path: 'commentaire',
    });
    given(...POULAT_SOLDE_EN_COURS)
      .when(requestModificationPoulat('  \t '))
      .thenFails('COMMENTAIRE_OBLIGATOIRE');
  });

  it('MOD-1: refuses STATUT_INCOMPATIBLE unless the solde is EN_COURS (already A_MODIFIER, or still the avance)', () => {
    const error = given(...POULAT_A_MODIFIER)
      .when(requestModificationPoulat())
      .thenFails('STATUT_INCOMPATIBLE');
    expect(error.message).toBe(
      'Demande de modification impossible : la demande de solde est au statut « A modifier » ; il faut une demande de solde « En cours »',
    );
    given(poulatAvanceImported).when(requestModificationPoulat()).thenFails('STATUT_INCOMPATIBLE');
  });
});
