import { event, piece, POULAT, POULAT_A_MODIFIER, POULAT_AT } from '../testing/seed-fixtures';
import { foldDossier } from './dossier.decider';
import { evolve } from './dossier.evolve';
import { initialState } from './dossier.state';

const added = (pieceId: string, version = 'M1') =>
  event('PieceAdded', {
    numeroAsp: POULAT.numeroAsp,
    version,
    piece: piece(pieceId, 'AUTRE_S', `${pieceId}.pdf`),
    addedAt: POULAT_AT.edit,
  });
const removed = (pieceId: string) =>
  event('PieceRemoved', { numeroAsp: POULAT.numeroAsp, version: 'M1', pieceId, removedAt: POULAT_AT.edit });

describe('evolve', () => {
  it('PieceRemoved takes only that piece out of the round draft', () => {
    const state = foldDossier([...POULAT_A_MODIFIER, added('p1'), added('p2'), added('p3'), removed('p2')]);
    expect(state.openRound?.piecesAdded.map((p) => p.pieceId)).toEqual(['p1', 'p3']);
  });

  it('an event of another version than the open round leaves the round as it was', () => {
    const state = foldDossier([
      ...POULAT_A_MODIFIER,
      added('p1', 'M2'),
      event('ModificationDraftEdited', {
        numeroAsp: POULAT.numeroAsp,
        version: 'M0',
        field: 'contactSupport',
        from: POULAT.contact,
        to: 'autre@example.fr',
        editedAt: POULAT_AT.edit,
      }),
      event('ModificationReminderSent', {
        numeroAsp: POULAT.numeroAsp,
        version: 'M2',
        sentAt: POULAT_AT.edit,
      }),
    ]);
    expect(state.openRound).toEqual(foldDossier(POULAT_A_MODIFIER).openRound);
  });

  it('an avance payment folded on a dossier without avance (an odd stream) changes nothing, statut included', () => {
    const paid = event('AvancePaymentRecorded', {
      numeroAsp: POULAT.numeroAsp,
      datePaiement: '2023-02-01',
      montantCents: 3_000_000,
      recordedAt: POULAT_AT.avancePayment,
    });
    expect(evolve(initialState(), paid)).toEqual(initialState());
  });
  it('a submission or an expiry of another version than the open round changes nothing', () => {
    const open = foldDossier(POULAT_A_MODIFIER);
    const submitted = event('ModificationSubmitted', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M2',
      changes: [{ field: 'contactSupport', from: POULAT.contact, to: 'autre@example.fr' }],
      piecesAdded: [],
      submittedAt: POULAT_AT.edit,
    });
    const expired = event('ModificationExpired', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M2',
      expiredAt: POULAT_AT.edit,
    });
    expect(evolve(open, submitted)).toEqual(open);
    expect(evolve(open, expired)).toEqual(open);
  });

  it('a submission folded on a dossier with no open round (an odd stream) changes nothing', () => {
    const closed = foldDossier(POULAT_A_MODIFIER.slice(0, -1));
    expect(closed.openRound).toBeNull();
    const submitted = event('ModificationSubmitted', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      changes: [],
      piecesAdded: [],
      submittedAt: POULAT_AT.edit,
    });
    expect(evolve(closed, submitted)).toEqual(closed);
  });
});
