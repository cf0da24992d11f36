import {
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  POULAT_SOLDE_EN_COURS,
  piece,
  poulatAvanceImported,
  poulatAvancePaid,
  poulatModificationRequested,
  poulatSoldeImported,
  poulatSoldeValidated,
} from '../testing/seed-fixtures';
import { allowedActions as allowedActionsAt } from './dossier.allowed-actions';
import { foldDossier } from './dossier.decider';
import { initialState } from './dossier.state';

const validated = poulatSoldeValidated;

const soldePaid = event('SoldePaymentRecorded', {
  numeroAsp: POULAT.numeroAsp,
  datePaiement: '2023-09-04',
  montantCents: 7_000_000,
  recordedAt: POULAT_AT.soldePayment,
});

// The buttons offered during the round (the day after the request), unless a test says when.
const allowedActions = (
  state: Parameters<typeof allowedActionsAt>[0],
  role: Parameters<typeof allowedActionsAt>[1],
  at: string = POULAT_AT.edit,
) => allowedActionsAt(state, role, at);

describe('allowedActions', () => {
  it('offers nothing on a dossier that does not exist', () => {
    expect(allowedActions(initialState(), 'gestionnaire')).toEqual([]);
  });

  it('offers nothing on a stream without its AvanceImported, even with a solde round open (the dossier does not exist)', () => {
    const noAvance = foldDossier([poulatSoldeImported]);
    expect(allowedActions(noAvance, 'gestionnaire')).toEqual([]);
    const roundWithoutAvance = foldDossier([poulatSoldeImported, poulatModificationRequested]);
    expect(allowedActions(roundWithoutAvance, 'fournisseur')).toEqual([]);
    expect(allowedActions(roundWithoutAvance, 'assistance')).toEqual([]);
  });

  it('offers nothing on a state with an identity but no phase', () => {
    const noPhase = { ...foldDossier(POULAT_A_MODIFIER), phase: null };
    expect(allowedActions(noPhase, 'fournisseur')).toEqual([]);
    expect(allowedActions(noPhase, 'assistance')).toEqual([]);
  });

  it('avance EN_COURS: the gestionnaire records its payment; neither fournisseur nor assistance may import the solde yet', () => {
    expect(allowedActions(foldDossier([poulatAvanceImported]), 'gestionnaire')).toEqual([
      'enregistrer_paiement_avance',
    ]);
    expect(allowedActions(foldDossier([poulatAvanceImported]), 'fournisseur')).toEqual([]);
    expect(allowedActions(foldDossier([poulatAvanceImported]), 'assistance')).toEqual([]);
  });

  it('avance paid: the fournisseur or assistance imports the solde; the gestionnaire has nothing left to record', () => {
    const state = foldDossier([poulatAvanceImported, poulatAvancePaid]);
    expect(allowedActions(state, 'fournisseur')).toEqual(['importer_solde']);
    expect(allowedActions(state, 'assistance')).toEqual(['importer_solde']);
    expect(allowedActions(state, 'gestionnaire')).toEqual([]);
  });

  it('a validation folded during the avance phase (an odd stream) offers no solde payment nor recovery order', () => {
    const state = foldDossier([poulatAvanceImported, validated]);
    expect({ phase: state.phase, statut: state.statut }).toEqual({ phase: 'AVANCE', statut: 'VALIDEE' });
    expect(allowedActions(state, 'gestionnaire')).toEqual([]);
  });

  it('solde EN_COURS: the gestionnaire requests a modification, validates or rejects; the fournisseur waits', () => {
    const state = foldDossier(POULAT_SOLDE_EN_COURS);
    expect(allowedActions(state, 'gestionnaire')).toEqual(['demander_modification', 'valider', 'rejeter']);
    expect(allowedActions(state, 'fournisseur')).toEqual([]);
  });

  it('A_MODIFIER: the fournisseur edits, adds pieces, confirms or declines; assistance may decline; the gestionnaire waits', () => {
    const state = foldDossier(POULAT_A_MODIFIER);
    expect(allowedActions(state, 'fournisseur')).toEqual([
      'modifier',
      'ajouter_piece',
      'confirmer',
      'ne_pas_modifier',
    ]);
    expect(allowedActions(state, 'assistance')).toEqual(['ne_pas_modifier']);
    expect(allowedActions(state, 'gestionnaire')).toEqual([]);
  });

  it('A_MODIFIER with a piece added in the draft: the fournisseur may also delete it', () => {
    const added = event('PieceAdded', {
      numeroAsp: POULAT.numeroAsp,
      version: 'M1',
      piece: piece('p', 'AUTRE_S', 'p.pdf'),
      addedAt: POULAT_AT.edit,
    });
    expect(allowedActions(foldDossier([...POULAT_A_MODIFIER, added]), 'fournisseur')).toContain(
      'supprimer_piece',
    );
  });

  it('MOD-4: A_MODIFIER past J+20: nothing is offered any more, even before the expiry timer fired', () => {
    expect(allowedActions(foldDossier(POULAT_A_MODIFIER), 'fournisseur', POULAT_AT.expiry)).toEqual([]);
  });

  it('VALIDEE: the gestionnaire records the solde payment or issues a recovery order', () => {
    expect(allowedActions(foldDossier([...POULAT_SOLDE_EN_COURS, validated]), 'gestionnaire')).toEqual([
      'enregistrer_paiement_solde',
      'emettre_ordre_recouvrement',
    ]);
  });

  it('solde paid: the gestionnaire may still issue a recovery order; the solde is not imported again', () => {
    const state = foldDossier([...POULAT_SOLDE_EN_COURS, validated, soldePaid]);
    expect(allowedActions(state, 'gestionnaire')).toEqual(['emettre_ordre_recouvrement']);
    expect(allowedActions(state, 'fournisseur')).toEqual([]);
    expect(allowedActions(state, 'assistance')).toEqual([]);
  });

  it('the auditeur only reads', () => {
    expect(allowedActions(foldDossier(POULAT_A_MODIFIER), 'auditeur')).toEqual([]);
  });
});
