import { event, POULAT, POULAT_A_MODIFIER } from '../testing/seed-fixtures';
import { evolve } from './dossier.evolve';
import { initialState } from './dossier.state';
import { STATUS_EVENT_TYPES, statusChangeOf } from './dossier.status-change';

const at = '2023-08-09T14:00:00.000Z';
const closings = [
  event('ModificationSubmitted', {
    numeroAsp: POULAT.numeroAsp,
    version: 'M1',
    changes: [],
    piecesAdded: [],
    submittedAt: at,
  }),
  event('ModificationDeclined', {
    numeroAsp: POULAT.numeroAsp,
    version: 'M1',
    declinedBy: 'fournisseur',
    declinedAt: at,
  }),
  event('ModificationExpired', { numeroAsp: POULAT.numeroAsp, version: 'M1', expiredAt: at }),
];

describe('statusChangeOf', () => {
  it('moves the statut along the stream as evolve does, for the status event types only', () => {
    let state = initialState();
    for (const e of POULAT_A_MODIFIER) {
      const change = statusChangeOf(e, state.openRound?.version ?? null);
      state = evolve(state, e);
      expect(change).toMatchObject({ statut: state.statut, at: state.statusChangedAt });
      expect(STATUS_EVENT_TYPES).toContain(e.type);
    }
    expect(state.statut).toBe('A_MODIFIER');
  });

  it('closes a round back to EN_COURS only when it is the open one', () => {
    for (const closing of closings) {
      expect(statusChangeOf(closing, 'M1')).toEqual({ statut: 'EN_COURS', at });
      expect(statusChangeOf(closing, 'M2')).toBeNull();
      expect(statusChangeOf(closing, null)).toBeNull();
      expect(STATUS_EVENT_TYPES).toContain(closing.type);
    }
  });
});
