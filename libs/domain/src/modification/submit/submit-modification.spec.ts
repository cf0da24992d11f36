import { given } from '../../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  piece,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
} from '../../testing/seed-fixtures';

const attestation = piece('attestation-m1', 'AUTRE_S', 'attestation-complementaire.pdf');
const brouillon = piece('brouillon-m1', 'AUTRE_S', 'brouillon.pdf');
const edited = event('ModificationDraftEdited', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  field: 'contactSupport',
  from: POULAT.contact,
  to: 'test123@gmail.com',
  editedAt: POULAT_AT.edit,
});
const added = (p = attestation) =>
  event('PieceAdded', { numeroAsp: POULAT.numeroAsp, version: 'M1', piece: p, addedAt: POULAT_AT.edit });
const submit = (at: string = POULAT_AT.submit) =>
  command('SubmitModification', { numeroAsp: POULAT.numeroAsp }, ACTORS.poulat, at);

describe('SubmitModification ("Confirmer")', () => {
  it('MOD-10: makes the draft version M1 current with the changes against the previous version: back to EN_COURS', () => {
    const state = given(...POULAT_A_MODIFIER, edited, added())
      .when(submit())
      .then(
        event('ModificationSubmitted', {
          numeroAsp: POULAT.numeroAsp,
          version: 'M1',
          changes: [{ field: 'contactSupport', from: POULAT.contact, to: 'test123@gmail.com' }],
          piecesAdded: [attestation],
          submittedAt: POULAT_AT.submit,
        }),
      );
    expect(state).toMatchObject({
      statut: 'EN_COURS',
      statusChangedAt: POULAT_AT.submit,
      currentVersion: 1,
      openRound: null,
      lastRoundOutcome: 'submitted',
      champs: { contactSupport: 'test123@gmail.com' },
    });
    expect(state.pieces.find((p) => p.pieceId === attestation.pieceId)?.addedInVersion).toBe(1);
  });

  it('MOD-10: leaves out a piece added then removed, and a field edited back to its value', () => {
    const removed = event('PieceRemoved', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      pieceId: brouillon.pieceId,
      removedAt: POULAT_AT.edit,
    });
    const editedBack = event('ModificationDraftEdited', {
      ...edited.data,
      from: 'test123@gmail.com',
      to: POULAT.contact,
    });
    const [submitted] = given(...POULAT_A_MODIFIER, edited, added(brouillon), removed, editedBack)
      .when(submit())
      .events();
    expect(submitted).toMatchObject({ data: { changes: [], piecesAdded: [] } });
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE from J+20 on', () => {
    given(...POULAT_A_MODIFIER, edited)
      .when(submit(POULAT_AT.expiry))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses STATUT_INCOMPATIBLE outside a modification round (a second "Confirmer")', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(submit())
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Confirmation impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « A modifier »',
    );
  });
});
