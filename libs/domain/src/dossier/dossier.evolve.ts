import type { DossierEvent } from './dossier.events';
import type { DossierState, OpenRound } from './dossier.state';
import { statusChangeOf } from './dossier.status-change';

const updateRound = (
  state: DossierState,
  version: string,
  f: (round: OpenRound) => OpenRound,
): DossierState =>
  state.openRound !== null && state.openRound.version === version
    ? { ...state, openRound: f(state.openRound) }
    : state;

// Total over the event union and never throws: an event is a fact already recorded, so an odd
// stream must still load (the decider, not evolve, guards consistency).
// DOS-1: every status change sets statusChangedAt to the event's instant.
export const evolve = (state: DossierState, event: DossierEvent): DossierState => {
  const next = evolveFacts(state, event);
  if (next === state) return state;
  // The statut, its date and the phase, as statusChangeOf says (the rule read models apply too),
  // written onto the one spread of the state the event made: a helper returning a spread of its
  // own, spread again, made two objects per event (a rebuild folds a million).
  const change = statusChangeOf(event, state.openRound?.version ?? null);
  if (change !== null) {
    next.statut = change.statut;
    next.statusChangedAt = change.at;
    if (change.phase !== undefined) next.phase = change.phase;
  }
  return next;
};

/** What the event makes of the state but its statut: a new state, or `state` itself if nothing. */
const evolveFacts = (state: DossierState, event: DossierEvent): DossierState => {
  switch (event.type) {
    case 'AvanceImported': {
      const d = event.data;
      return {
        ...state,
        identity: { numeroAsp: d.numeroAsp, couloir: d.couloir, siret: d.siret, numeroAns: d.numeroAns },
        avance: {
          importId: d.importId,
          numLigne: d.numLigne,
          numeroEditeur: d.numeroEditeur,
          dateBonDeCommande: d.bonDeCommande.dateBonDeCommande,
          montantCents: d.bonDeCommande.montantCents,
          beneficiaire: d.beneficiaire,
          contactSupport: d.contactSupport,
          pieces: d.pieces,
          contentHash: d.contentHash,
          importedAt: d.importedAt,
          payment: null,
        },
      };
    }
    case 'AvancePaymentRecorded': {
      if (state.avance === null) return state;
      const { datePaiement, montantCents, recordedAt } = event.data;
      return {
        ...state,
        avance: { ...state.avance, payment: { datePaiement, montantCents, recordedAt } },
      };
    }
    case 'SoldeImported': {
      const d = event.data;
      return {
        ...state,
        solde: {
          importId: d.importId,
          numLigne: d.numLigne,
          numeroEditeur: d.numeroEditeur,
          dateFacture: d.facture.dateFacture,
          montantCents: d.facture.montantCents,
          beneficiaire: d.beneficiaire,
          beneficiaireHistorique: d.beneficiaireHistorique,
          scenariosEffectivementInstalles: d.scenariosEffectivementInstalles,
          contentHash: d.contentHash,
          importedAt: d.importedAt,
        },
        champs: { ...d.champs },
        pieces: d.pieces.map((p) => ({ ...p, addedInVersion: 0 })),
        currentVersion: 0,
      };
    }
    case 'SoldeAutoRejected':
      return {
        ...state,
        rejection: {
          code: event.data.code,
          motif: event.data.motif,
          rejectedBy: null,
          rejectedAt: event.data.rejectedAt,
        },
      };
    case 'ModificationRequested': {
      const d = event.data;
      return {
        ...state,
        roundsOpened: Math.max(state.roundsOpened, d.round),
        openRound: {
          version: d.version,
          round: d.round,
          commentaire: d.commentaire,
          gestionnaireId: d.gestionnaireId,
          requestedAt: d.requestedAt,
          reminderDueAt: d.reminderDueAt,
          expiresAt: d.expiresAt,
          reminderSent: false,
          draftChamps: { ...state.champs },
          piecesAdded: [],
        },
      };
    }
    case 'ModificationDraftEdited':
      return updateRound(state, event.data.version, (r) => ({
        ...r,
        draftChamps: { ...r.draftChamps, [event.data.field]: event.data.to },
      }));
    case 'PieceAdded':
      return updateRound(state, event.data.version, (r) => ({
        ...r,
        piecesAdded: [...r.piecesAdded, event.data.piece],
      }));
    case 'PieceRemoved':
      return updateRound(state, event.data.version, (r) => ({
        ...r,
        piecesAdded: r.piecesAdded.filter((p) => p.pieceId !== event.data.pieceId),
      }));
    case 'ModificationReminderSent':
      return updateRound(state, event.data.version, (r) => ({ ...r, reminderSent: true }));
    case 'ModificationSubmitted': {
      const round = state.openRound;
      if (round === null || round.version !== event.data.version) return state;
      // The event's changes and pieces are the truth; the draft only mirrors them.
      const champs = { ...state.champs };
      for (const c of event.data.changes) champs[c.field] = c.to;
      return {
        ...state,
        champs,
        pieces: [
          ...state.pieces,
          ...event.data.piecesAdded.map((p) => ({ ...p, addedInVersion: round.round })),
        ],
        currentVersion: round.round,
        openRound: null,
        lastRoundOutcome: 'submitted',
        lastRoundClosedBy: 'fournisseur',
      };
    }
    case 'ModificationDeclined':
      if (state.openRound?.version !== event.data.version) return state;
      return {
        ...state,
        openRound: null,
        lastRoundOutcome: 'declined',
        lastRoundClosedBy: event.data.declinedBy,
      };
    case 'ModificationExpired':
      if (state.openRound?.version !== event.data.version) return state;
      return {
        ...state,
        openRound: null,
        lastRoundOutcome: 'expired',
        lastRoundClosedBy: 'system',
      };
    case 'SoldeValidated': {
      const d = event.data;
      return {
        ...state,
        decision: {
          engagementRetenuCents: d.engagementRetenuCents,
          soldeDecideCents: d.soldeDecideCents,
          decisionModificative: d.decisionModificative,
          gestionnaireId: d.gestionnaireId,
          validatedAt: d.validatedAt,
        },
      };
    }
    case 'SoldeRejected':
      return {
        ...state,
        rejection: {
          code: null,
          motif: event.data.motif,
          rejectedBy: event.data.gestionnaireId,
          rejectedAt: event.data.rejectedAt,
        },
      };
    case 'SoldePaymentRecorded': {
      const { datePaiement, montantCents, recordedAt } = event.data;
      return {
        ...state,
        soldePayment: { datePaiement, montantCents, recordedAt },
      };
    }
    case 'EmailSent': {
      const { causationEventId, template, to, subject, messageId, sentAt } = event.data;
      return {
        ...state,
        emailsSent: [...state.emailsSent, { causationEventId, template, to, subject, messageId, sentAt }],
      };
    }
    case 'RecoveryOrderIssued': {
      const { montantCents, motif, issuedBy, issuedAt } = event.data;
      return {
        ...state,
        recoveryOrders: [...state.recoveryOrders, { montantCents, motif, issuedBy, issuedAt }],
      };
    }
  }
};
