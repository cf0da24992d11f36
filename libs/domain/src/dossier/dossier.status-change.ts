import type { DossierEvent, DossierEventType } from './dossier.events';
import type { Phase, Statut } from './dossier.status';

export interface StatusChange {
  /** Set by an import only: the phase the dossier enters. */
  phase?: Phase;
  statut: Statut;
  /** The dossier's date of status change: the event's own instant. */
  at: string;
}

/**
 * The statut (and phase) an event moves a dossier to, and when: written once, here, for `evolve`,
 * which folds it into the decider's state, and for the read models that keep only a few columns
 * (lists, reporting). A round's closing event moves the statut only when it closes the open round
 * (`openRoundVersion`, `M<n>`, null when none is open): a late or repeated one changes nothing.
 */
export const statusChangeOf = (event: DossierEvent, openRoundVersion: string | null): StatusChange | null => {
  switch (event.type) {
    case 'AvanceImported':
      return { phase: 'AVANCE', statut: 'EN_COURS', at: event.data.importedAt };
    case 'AvancePaymentRecorded':
      return { statut: 'PAIEMENT_EFFECTUE', at: event.data.recordedAt };
    case 'SoldeImported':
      return { phase: 'SOLDE', statut: 'EN_COURS', at: event.data.importedAt };
    case 'SoldeAutoRejected':
      return { statut: 'REJETEE', at: event.data.rejectedAt };
    case 'ModificationRequested':
      return { statut: 'A_MODIFIER', at: event.data.requestedAt };
    case 'ModificationSubmitted':
      return openRoundVersion === event.data.version
        ? { statut: 'EN_COURS', at: event.data.submittedAt }
        : null;
    case 'ModificationDeclined':
      return openRoundVersion === event.data.version
        ? { statut: 'EN_COURS', at: event.data.declinedAt }
        : null;
    case 'ModificationExpired':
      return openRoundVersion === event.data.version
        ? { statut: 'EN_COURS', at: event.data.expiredAt }
        : null;
    case 'SoldeValidated':
      return { statut: 'VALIDEE', at: event.data.validatedAt };
    case 'SoldeRejected':
      return { statut: 'REJETEE', at: event.data.rejectedAt };
    case 'SoldePaymentRecorded':
      return { statut: 'PAIEMENT_EFFECTUE', at: event.data.recordedAt };
    default:
      return null;
  }
};

/** The event types `statusChangeOf` may answer for: what a read model of the statut subscribes to. */
export const STATUS_EVENT_TYPES = [
  'AvanceImported',
  'AvancePaymentRecorded',
  'SoldeImported',
  'SoldeAutoRejected',
  'ModificationRequested',
  'ModificationSubmitted',
  'ModificationDeclined',
  'ModificationExpired',
  'SoldeValidated',
  'SoldeRejected',
  'SoldePaymentRecorded',
] as const satisfies readonly DossierEventType[];
