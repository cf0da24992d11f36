import {
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_SOLDE_EN_COURS,
  poulatAvanceImported,
} from '../testing/seed-fixtures';
import { foldDossier } from './dossier.decider';
import { currentVersionLabel, initialState, isExisting, roundOfVersion, versionLabel } from './dossier.state';

const submittedM1 = event('ModificationSubmitted', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  changes: [],
  piecesAdded: [],
  submittedAt: '2023-08-08T07:45:00.000Z',
});
const requestedM2 = event('ModificationRequested', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M2',
  round: 2,
  commentaire: 'encore une modif',
  gestionnaireId: 'gestionnaire-asp-1',
  requestedAt: '2023-08-09T08:00:00.000Z',
  reminderDueAt: '2023-08-19T08:00:00.000Z',
  expiresAt: '2023-08-29T08:00:00.000Z',
});

describe('isExisting', () => {
  it('is false before the avance is imported and true after', () => {
    expect(isExisting(initialState())).toBe(false);
    expect(isExisting(foldDossier([poulatAvanceImported]))).toBe(true);
  });

  it('needs both the identity and the avance', () => {
    const imported = foldDossier([poulatAvanceImported]);
    expect(isExisting({ ...imported, identity: null })).toBe(false);
    expect(isExisting({ ...imported, avance: null })).toBe(false);
  });
});

describe('versionLabel and roundOfVersion', () => {
  it('VER-1: round n is version M<n>, and back', () => {
    expect(versionLabel(1)).toBe('M1');
    expect(roundOfVersion('M1')).toBe(1);
    expect(roundOfVersion('M12')).toBe(12);
    expect(roundOfVersion(versionLabel(7))).toBe(7);
  });

  it.each(['', 'M', 'MX', 'm1', 'XM1', 'M1X', 'FINSAS008539M1', 'M1 '])(
    '%j is no version label: NaN',
    (label) => {
      expect(roundOfVersion(label)).toBeNaN();
    },
  );
});

describe('currentVersionLabel', () => {
  it('is null for the imported solde (the numéro ASP without suffix)', () => {
    expect(currentVersionLabel(foldDossier(POULAT_SOLDE_EN_COURS))).toBeNull();
  });

  it('names the open round while it is being modified', () => {
    expect(currentVersionLabel(foldDossier(POULAT_A_MODIFIER))).toBe('M1');
    expect(currentVersionLabel(foldDossier([...POULAT_A_MODIFIER, submittedM1, requestedM2]))).toBe('M2');
  });

  it('names the last confirmed version once its round is closed', () => {
    const state = foldDossier([...POULAT_A_MODIFIER, submittedM1]);
    expect({ openRound: state.openRound, currentVersion: state.currentVersion }).toEqual({
      openRound: null,
      currentVersion: 1,
    });
    expect(currentVersionLabel(state)).toBe('M1');
  });
});
