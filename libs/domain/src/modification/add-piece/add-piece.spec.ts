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
const addPiece = (p = attestation, at: string = POULAT_AT.edit) =>
  command('AddPiece', { numeroAsp: POULAT.numeroAsp, piece: p }, ACTORS.poulat, at);
const added = event('PieceAdded', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  piece: attestation,
  addedAt: POULAT_AT.edit,
});

describe('AddPiece', () => {
  it('MOD-8: adds a piece to the draft of the open round', () => {
    const state = given(...POULAT_A_MODIFIER)
      .when(addPiece())
      .then(added);
    expect(state.openRound?.piecesAdded).toEqual([attestation]);
    expect(state.pieces.map((p) => p.pieceId)).not.toContain(attestation.pieceId);
  });

  it('MOD-8: appends nothing when the same upload is sent again', () => {
    given(...POULAT_A_MODIFIER, added)
      .when(addPiece())
      .then();
  });

  it('MOD-8: refuses PIECE_TYPE_INCONNU a type the couloir does not know', () => {
    expect(
      given(...POULAT_A_MODIFIER)
        .when(addPiece(piece('bl', 'BON_DE_LIVRAISON', 'bl.pdf')))
        .thenFails('PIECE_TYPE_INCONNU'),
    ).toEqual({
      code: 'PIECE_TYPE_INCONNU',
      message: 'type de pièce inconnu pour le couloir SAS : BON_DE_LIVRAISON',
      path: 'type',
    });
  });

  it('MOD-4: refuses MODIFICATION_EXPIREE from J+20 on', () => {
    given(...POULAT_A_MODIFIER)
      .when(addPiece(attestation, POULAT_AT.expiry))
      .thenFails('MODIFICATION_EXPIREE');
  });

  it('MOD-4: refuses STATUT_INCOMPATIBLE outside a modification round', () => {
    expect(
      given(...POULAT_SOLDE_EN_COURS)
        .when(addPiece())
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Ajout de pièce impossible : la demande de solde est au statut « En cours » ; il faut une demande de solde « A modifier »',
    );
  });
});
