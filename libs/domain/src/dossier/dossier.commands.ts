// Commands the decider accepts. Every command carries `at` (ISO instant): the domain has no clock.
// Values arrive already parsed by the edge (cents, `yyyy-MM-dd`, Luhn-checked identifiers);
// the decider holds the business rules of docs/domain.md.
import type { AvanceLine, PieceRef, Role, SentEmail, SoldeLine } from './dossier.events';

export interface Actor {
  id: string;
  role: Role;
}

interface CommandBase<T extends string, D> {
  type: T;
  data: D;
  actor: Actor;
  at: string;
}

export type ImportAvance = CommandBase<'ImportAvance', AvanceLine>;

export type RecordAvancePayment = CommandBase<
  'RecordAvancePayment',
  { numeroAsp: string; datePaiement: string | null; montantCents: number | null }
>;

export type ImportSolde = CommandBase<'ImportSolde', SoldeLine & { contactSupport: string | null }>;

export type RequestModification = CommandBase<
  'RequestModification',
  {
    numeroAsp: string;
    commentaire: string;
    /** ISO-8601 durations from configuration (`P10D`, `P20D`; `PT2S` in tests). */
    reminderAfter: string;
    expiryAfter: string;
  }
>;

export type EditModificationDraft = CommandBase<
  'EditModificationDraft',
  {
    numeroAsp: string;
    /**
     * As sent: a field's value is text or null, or an object grouping nested fields (named by their
     * dotted path in the couloir's `champsEditables`); the decider checks every one of them.
     */
    fields: Record<string, unknown>;
  }
>;

export type AddPiece = CommandBase<'AddPiece', { numeroAsp: string; piece: PieceRef }>;
export type RemovePiece = CommandBase<'RemovePiece', { numeroAsp: string; pieceId: string }>;
export type SubmitModification = CommandBase<'SubmitModification', { numeroAsp: string }>;
export type DeclineModification = CommandBase<'DeclineModification', { numeroAsp: string }>;
export type SendModificationReminder = CommandBase<
  'SendModificationReminder',
  { numeroAsp: string; version: string }
>;
export type ExpireModification = CommandBase<'ExpireModification', { numeroAsp: string; version: string }>;

export type ValidateSolde = CommandBase<
  'ValidateSolde',
  {
    numeroAsp: string;
    /** Null: the default proposal of docs/domain.md. */
    engagementRetenuCents: number | null;
    soldeDecideCents: number | null;
  }
>;

export type RejectSolde = CommandBase<'RejectSolde', { numeroAsp: string; motif: string }>;

export type RecordSoldePayment = CommandBase<
  'RecordSoldePayment',
  { numeroAsp: string; datePaiement: string | null; montantCents: number | null }
>;

export type RecordEmailSent = CommandBase<'RecordEmailSent', SentEmail>;

export type IssueRecoveryOrder = CommandBase<
  'IssueRecoveryOrder',
  { numeroAsp: string; montantCents: number; motif: string }
>;

export type DossierCommand =
  | ImportAvance
  | RecordAvancePayment
  | ImportSolde
  | RequestModification
  | EditModificationDraft
  | AddPiece
  | RemovePiece
  | SubmitModification
  | DeclineModification
  | SendModificationReminder
  | ExpireModification
  | ValidateSolde
  | RejectSolde
  | RecordSoldePayment
  | RecordEmailSent
  | IssueRecoveryOrder;

export type DossierCommandType = DossierCommand['type'];
