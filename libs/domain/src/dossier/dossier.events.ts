// The facts of a dossier's life, one stream per dossier (`dossier-<numeroAsp>`).
// Shapes are part of the public contract (event feed, webhooks, EventStoreDB readers):
// change them only by adding optional fields, or by a new schemaVersion plus an upcaster.
// Montants are integer cents; instants are ISO-8601 UTC strings; calendar dates are `yyyy-MM-dd`.

export type Role = 'fournisseur' | 'gestionnaire' | 'assistance' | 'auditeur' | 'service' | 'system';

export interface PieceRef {
  pieceId: string;
  type: string;
  nomFichier: string;
  taille: number;
  sha256: string;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface ScenariosEffectivementInstalles {
  hasBALMSSantePersonnelle?: boolean;
  operateurMessagerie?: string;
  certificatDMP?: string;
  certificatINSi?: string;
}

/** An avance line as imported: what the import decides on and what the dossier records. */
export interface AvanceLine {
  numeroAsp: string;
  couloir: string;
  numeroAns: string;
  siret: string;
  importId: string;
  numLigne: number;
  numeroEditeur: string;
  bonDeCommande: { dateBonDeCommande: string; montantCents: number };
  beneficiaire: string;
  contactSupport: string | null;
  pieces: PieceRef[];
  contentHash: string;
}

export interface AvanceImported {
  type: 'AvanceImported';
  data: AvanceLine & { importedAt: string };
}

export interface AvancePaymentRecorded {
  type: 'AvancePaymentRecorded';
  data: { numeroAsp: string; datePaiement: string; montantCents: number; recordedAt: string };
}

/** What a solde line and the solde it records have in common. */
export interface SoldeLine {
  numeroAsp: string;
  siret: string;
  numeroAns: string;
  importId: string;
  numLigne: number;
  numeroEditeur: string;
  facture: { dateFacture: string; montantCents: number };
  beneficiaire: string;
  beneficiaireHistorique: string | null;
  pieces: PieceRef[];
  scenariosEffectivementInstalles: ScenariosEffectivementInstalles | null;
  contentHash: string;
}

export interface SoldeImported {
  type: 'SoldeImported';
  data: SoldeLine & {
    /** The editable fields as imported (SAS: contactSupport), the initial version's values. */
    champs: Record<string, string | null>;
    importedAt: string;
  };
}

export interface SoldeAutoRejected {
  type: 'SoldeAutoRejected';
  data: { numeroAsp: string; code: 'BENEFICIAIRE_ABSENT_AVANCE'; motif: string; rejectedAt: string };
}

/** A modification round as the gestionnaire opened it, with its J+10 and J+20 instants. */
export interface RoundRequest {
  /** `M1`, `M2`, … */
  version: string;
  round: number;
  commentaire: string;
  gestionnaireId: string;
  requestedAt: string;
  reminderDueAt: string;
  expiresAt: string;
}

export interface ModificationRequested {
  type: 'ModificationRequested';
  data: RoundRequest & { numeroAsp: string };
}

export interface ModificationDraftEdited {
  type: 'ModificationDraftEdited';
  data: {
    numeroAsp: string;
    version: string;
    field: string;
    from: string | null;
    to: string | null;
    editedAt: string;
  };
}

export interface PieceAdded {
  type: 'PieceAdded';
  data: { numeroAsp: string; version: string; piece: PieceRef; addedAt: string };
}

export interface PieceRemoved {
  type: 'PieceRemoved';
  data: { numeroAsp: string; version: string; pieceId: string; removedAt: string };
}

export interface ModificationSubmitted {
  type: 'ModificationSubmitted';
  data: {
    numeroAsp: string;
    version: string;
    changes: FieldChange[];
    piecesAdded: PieceRef[];
    submittedAt: string;
  };
}

export interface ModificationDeclined {
  type: 'ModificationDeclined';
  data: { numeroAsp: string; version: string; declinedBy: Role; declinedAt: string };
}

export interface ModificationReminderSent {
  type: 'ModificationReminderSent';
  data: { numeroAsp: string; version: string; sentAt: string };
}

export interface ModificationExpired {
  type: 'ModificationExpired';
  data: { numeroAsp: string; version: string; expiredAt: string };
}

export interface Difference {
  champ: string;
  avance: string | null;
  solde: string | null;
}

export interface SoldeValidated {
  type: 'SoldeValidated';
  data: {
    numeroAsp: string;
    engagementRetenuCents: number;
    soldeDecideCents: number;
    /** Present when the perimeter or the total differs from the avance. */
    decisionModificative: { differences: Difference[] } | null;
    gestionnaireId: string;
    validatedAt: string;
  };
}

export interface SoldeRejected {
  type: 'SoldeRejected';
  data: { numeroAsp: string; motif: string; gestionnaireId: string; rejectedAt: string };
}

export interface SoldePaymentRecorded {
  type: 'SoldePaymentRecorded';
  data: { numeroAsp: string; datePaiement: string; montantCents: number; recordedAt: string };
}

export type EmailTemplate =
  | 'MODIFICATION_DEMANDEE'
  | 'MODIFICATION_RELANCE'
  | 'MODIFICATION_EXPIREE'
  | 'MODIFICATION_SOUMISE'
  | 'SOLDE_VALIDE'
  | 'SOLDE_REJETE';

/** An automatic email the SMTP server accepted. */
export interface SentEmail {
  numeroAsp: string;
  /** Id of the event that caused the email: the outbox key, so an email is recorded once. */
  causationEventId: string;
  template: EmailTemplate;
  to: string;
  subject: string;
  messageId: string;
}

export interface EmailSent {
  type: 'EmailSent';
  data: SentEmail & { sentAt: string };
}

export interface RecoveryOrderIssued {
  type: 'RecoveryOrderIssued';
  data: { numeroAsp: string; montantCents: number; motif: string; issuedBy: string; issuedAt: string };
}

export type DossierEvent =
  | AvanceImported
  | AvancePaymentRecorded
  | SoldeImported
  | SoldeAutoRejected
  | ModificationRequested
  | ModificationDraftEdited
  | PieceAdded
  | PieceRemoved
  | ModificationSubmitted
  | ModificationDeclined
  | ModificationReminderSent
  | ModificationExpired
  | SoldeValidated
  | SoldeRejected
  | SoldePaymentRecorded
  | EmailSent
  | RecoveryOrderIssued;

export type DossierEventType = DossierEvent['type'];

export const DOSSIER_EVENT_TYPES: readonly DossierEventType[] = [
  'AvanceImported',
  'AvancePaymentRecorded',
  'SoldeImported',
  'SoldeAutoRejected',
  'ModificationRequested',
  'ModificationDraftEdited',
  'PieceAdded',
  'PieceRemoved',
  'ModificationSubmitted',
  'ModificationDeclined',
  'ModificationReminderSent',
  'ModificationExpired',
  'SoldeValidated',
  'SoldeRejected',
  'SoldePaymentRecorded',
  'EmailSent',
  'RecoveryOrderIssued',
];

/** Every dossier's stream starts so; readers of dossier events filter on it (other categories exist). */
export const DOSSIER_STREAM_PREFIX = 'dossier-';
const STREAM_PREFIX = DOSSIER_STREAM_PREFIX;
export const dossierStreamId = (numeroAsp: string): string => `${STREAM_PREFIX}${numeroAsp}`;
// A rebuild calls it once per event: startsWith and slice instead of a regular expression.
export const numeroAspOfStream = (streamId: string): string =>
  streamId.startsWith(STREAM_PREFIX) ? streamId.slice(STREAM_PREFIX.length) : streamId;
