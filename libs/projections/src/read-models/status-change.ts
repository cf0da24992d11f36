import type { DossierEvent, Phase, Statut } from '@segur/domain';

export interface StatusChange {
  phase?: Phase;
  statut: Statut;
  at: string;
}

/**
 * The statut an event moves a dossier to, for read models that keep only a few columns (lists,
 * reporting) rather than the decider's whole state. Mirrors the domain's `evolve`; the suivi
 * projection folds with `evolve` itself. A round's closing event moves the statut only when it
 * closes the open round (`openRound`), as `evolve` does.
 */
export const statusChangeOf = (event: DossierEvent, openRound: string | null): StatusChange | null => {
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
      return openRound === event.data.version ? { statut: 'EN_COURS', at: event.data.submittedAt } : null;
    case 'ModificationDeclined':
      return openRound === event.data.version ? { statut: 'EN_COURS', at: event.data.declinedAt } : null;
    case 'ModificationExpired':
      return openRound === event.data.version ? { statut: 'EN_COURS', at: event.data.expiredAt } : null;
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
] as const;
