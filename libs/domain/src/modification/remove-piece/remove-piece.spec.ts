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
const added = event('PieceAdded', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  piece: attestation,
  addedAt: POULAT_AT.edit,
});
const removePiece = (pieceId: string, at = '2023-08-08T07:30:00.000Z') =>
  command('RemovePiece', { numeroAsp: POULAT.numeroAsp, pieceId }, ACTORS.poulat, at);

describe('RemovePiece', () => {
  it('MOD-9: removes a piece added in this draft', () => {
    const state = given(...POULAT_A_MODIFIER, added)
      .when(removePiece(attestation.pieceId))
      .then(
        event('PieceRemoved', {
          numeroAsp: POULAT.numeroAsp,
          version: 'M1',
          pieceId: attestation.pieceId,
          removedAt: '2023-08-08T07:30:00.000Z',
        }),
      );
    expect(state.openRound?.piecesAdded).toEqual([]);
  });

  it('MOD-9: refuses PIECE_NON_SUPPRIMABLE a piece present before the modification (PJ_Demande.pdf)', () => {
    expect(
      given(...POULAT_A_MODIFIER, added)
        .when(removePiece('pj-demande'))
        .thenFails('PIECE_NON_SUPPRIMABLE'),
    ).toEqual({
      code: 'PIECE_NON_SUPPRIMABLE',
      message: 'vous ne pouvez pas supprimer une pièce jointe présente avant modification',
      path: 'pieceId',
    });
  });

  it('MOD-9: refuses PIECE_INCONNUE an id the dossier does not know', () => {
    expect(
      given(...POULAT_A_MODIFIER)
        .when(removePiece('nope'))
        .thenFails('PIECE_INCONNUE'),
    ).toEqual({ code: 'PIECE_INCONNUE', message: 'pièce inconnue : nope', path: 'pieceId' });
  });

  it('MOD-9: refuses PIECE_INCONNUE an id that is not among the pieces added in this draft', () => {
    given(...POULAT_A_MODIFIER, added)
      .when(removePiece('nope'))
      .thenFails('PIECE_INCONNUE');
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE from J+20 on', () => {
    given(...POULAT_A_MODIFIER, added)
      .when(removePiece(attestation.pieceId, POULAT_AT.expiry))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses STATUT_INCOMPATIBLE outside a modification round', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(removePiece('pj-demande'))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Suppression de pièce impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « A modifier »',
    );
  });
});
