import type {
  Difference,
  EmailTemplate,
  PieceRef,
  Role,
  RoundRequest,
  ScenariosEffectivementInstalles,
} from './dossier.events';
import type { Phase, RoundOutcome, Statut } from './dossier.status';

export interface DossierIdentity {
  numeroAsp: string;
  couloir: string;
  siret: string;
  numeroAns: string;
}

export interface AvanceState {
  importId: string;
  numLigne: number;
  numeroEditeur: string;
  dateBonDeCommande: string;
  montantCents: number;
  beneficiaire: string;
  contactSupport: string | null;
  pieces: PieceRef[];
  contentHash: string;
  importedAt: string;
  payment: { datePaiement: string; montantCents: number; recordedAt: string } | null;
}

export interface SoldeState {
  importId: string;
  numLigne: number;
  numeroEditeur: string;
  dateFacture: string;
  montantCents: number;
  beneficiaire: string;
  beneficiaireHistorique: string | null;
  scenariosEffectivementInstalles: ScenariosEffectivementInstalles | null;
  contentHash: string;
  importedAt: string;
}

/** A piece of the current version; `addedInVersion` 0 is the imported solde, n is round M<n>. */
export interface CurrentPiece extends PieceRef {
  addedInVersion: number;
}

export interface OpenRound extends RoundRequest {
  reminderSent: boolean;
  /** Starts as a copy of the current values, so a diff against them is the round's changes. */
  draftChamps: Record<string, string | null>;
  piecesAdded: PieceRef[];
}

export interface SoldeDecision {
  engagementRetenuCents: number;
  soldeDecideCents: number;
  decisionModificative: { differences: Difference[] } | null;
  gestionnaireId: string;
  validatedAt: string;
}

export interface Rejection {
  /** Set for an automatic rejection at import; null when a gestionnaire rejected. */
  code: 'BENEFICIAIRE_ABSENT_AVANCE' | null;
  motif: string;
  rejectedBy: string | null;
  rejectedAt: string;
}

export interface RecoveryOrder {
  montantCents: number;
  motif: string;
  issuedBy: string;
  issuedAt: string;
}

export interface EmailRecord {
  causationEventId: string;
  template: EmailTemplate;
  to: string;
  subject: string;
  messageId: string;
  sentAt: string;
}

export interface DossierState {
  /** Null until the avance is imported: the dossier does not exist yet. */
  identity: DossierIdentity | null;
  phase: Phase | null;
  statut: Statut | null;
  statusChangedAt: string | null;
  avance: AvanceState | null;
  solde: SoldeState | null;
  /** Editable fields of the current version (SAS: contactSupport). */
  champs: Record<string, string | null>;
  pieces: CurrentPiece[];
  /** 0 = the imported solde, n = version M<n>. */
  currentVersion: number;
  /** Rounds opened so far, whatever their outcome: the next one is M<roundsOpened + 1>. */
  roundsOpened: number;
  openRound: OpenRound | null;
  lastRoundOutcome: RoundOutcome | null;
  lastRoundClosedBy: Role | null;
  decision: SoldeDecision | null;
  rejection: Rejection | null;
  soldePayment: { datePaiement: string; montantCents: number; recordedAt: string } | null;
  recoveryOrders: RecoveryOrder[];
  emailsSent: EmailRecord[];
}

export const initialState = (): DossierState => ({
  identity: null,
  phase: null,
  statut: null,
  statusChangedAt: null,
  avance: null,
  solde: null,
  champs: {},
  pieces: [],
  currentVersion: 0,
  roundsOpened: 0,
  openRound: null,
  lastRoundOutcome: null,
  lastRoundClosedBy: null,
  decision: null,
  rejection: null,
  soldePayment: null,
  recoveryOrders: [],
  emailsSent: [],
});

/** A dossier whose avance has been imported: what every command but ImportAvance works on. */
export type ExistingDossier = DossierState & { identity: DossierIdentity; avance: AvanceState };

export const isExisting = (state: DossierState): state is ExistingDossier =>
  state.identity !== null && state.avance !== null;

/** `M1` for round 1: the suffix appended to the numéro ASP. */
// VER-1: round n is version M<n>.
export const versionLabel = (round: number): string => `M${round}`;

/** The round of a version label: 1 for `M1`; NaN for anything else. */
export const roundOfVersion = (version: string): number => Number(/^M(\d+)$/.exec(version)?.[1] ?? NaN);

/**
 * The version a dossier's pages name now: the open round's (`M2` while it is being modified), else
 * the last confirmed one, else null for the initial version (the numéro ASP without suffix).
 */
export const currentVersionLabel = (state: DossierState): string | null =>
  state.openRound?.version ?? (state.currentVersion > 0 ? versionLabel(state.currentVersion) : null);
