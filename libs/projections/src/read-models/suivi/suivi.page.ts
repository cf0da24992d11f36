import {
  allowedActions,
  champLabel,
  maskIban,
  PHASE_LABELS,
  proposeSolde,
  STATUT_LABELS,
  type DossierAction,
  type EmailTemplate,
  type Phase,
  type Role,
  type Statut,
} from '@segur/domain';
import { formatAdresse, type Adresse, type Fournisseur } from '../fournisseurs/fournisseurs.read-model';
import { dateFrOfInstant, montantView, type MontantView } from '../format';
import { numeroAspVersionOf } from '../version';
import type { SuiviRow } from './suivi.projection';

export const BANDEAU_A_MODIFIER = 'Votre demande de solde nécessite des modifications de votre part';

export interface Viewer {
  role: Role;
  /** A fournisseur's SIRETs (token claim); ignored for back-office roles. */
  sirets?: readonly string[];
}

/** A fournisseur sees only its own dossiers; every other role sees all. */
export const canSee = (viewer: Viewer, siret: string): boolean =>
  viewer.role !== 'fournisseur' || (viewer.sirets ?? []).includes(siret);

export interface FieldDiff {
  field: string;
  label: string;
  from: string | null;
  /** The value shown in green. */
  to: string | null;
}

export interface PieceView {
  pieceId: string;
  nomFichier: string;
  type: string;
  taille: number;
  sha256: string;
  /** Version that added it: `FINSAS008539` (imported solde), `FINSAS008539M1`, … */
  addedInVersion: string;
  /** Only a piece added in the open draft may be deleted ("corbeille"). */
  canDelete: boolean;
}

export interface SuiviPage {
  numeroAsp: string;
  couloir: string;
  /** ETag of the dossier: the stream version this page was built from. */
  streamVersion: number;
  recapitulatif: {
    numeroAns: string;
    siret: string;
    denominationSociale: string | null;
    adresse: Adresse | null;
    /** `0 cour DE MONS , 59650, VILLENEUVE D ASCQ` */
    adresseAffichee: string | null;
    numeroDossier: string;
    /** Date the current phase's request was deposited (solde import, else avance import). */
    dateDepot: string | null;
    phase: Phase;
    phaseLabel: string;
    statut: Statut;
    statutLabel: string;
    dateChangementStatut: string | null;
    statusChangedAt: string | null;
  };
  informations: {
    /** With the open round's suffix while A_MODIFIER, else the current version's. */
    numeroAspVersion: string;
    dsr: string | null;
    montants: {
      avanceDecide: MontantView | null;
      engagementRetenu: MontantView | null;
      soldeDecide: MontantView | null;
      /** True until a gestionnaire validates: the amounts are the default proposal. */
      proposes: boolean;
    };
    champsEditables: { field: string; label: string; value: string | null }[];
  };
  coordonneesBancaires: { iban: string; bic: string } | null;
  pieces: PieceView[];
  piecesAvance: { pieceId: string; nomFichier: string; type: string; sha256: string }[];
  courriels: { template: EmailTemplate; to: string; subject: string; sentAt: string; dateEnvoi: string }[];
  /** Present while A_MODIFIER: the banner, the gestionnaire's comment, the draft and its diff. */
  modification: {
    bandeau: string;
    commentaire: string;
    version: string;
    numeroAspVersion: string;
    requestedAt: string;
    reminderDueAt: string;
    expiresAt: string;
    dateLimite: string;
    reminderSent: boolean;
    draft: { champs: Record<string, string | null>; diff: FieldDiff[]; pieces: PieceView[] };
  } | null;
  decision: { validatedAt: string; decisionModificative: boolean } | null;
  rejet: { motif: string; rejectedAt: string; automatique: boolean } | null;
  allowedActions: DossierAction[];
}

export const buildSuiviPage = (
  row: SuiviRow,
  fournisseur: Fournisseur | null,
  viewer: Viewer,
  now: Date = new Date(),
): SuiviPage | null => {
  const s = row.state;
  if (s.identity === null || s.phase === null || s.statut === null || s.avance === null) return null;
  const numeroAsp = s.identity.numeroAsp;
  const round = s.statut === 'A_MODIFIER' ? s.openRound : null;

  const proposal = s.solde ? proposeSolde(s.avance, s.solde) : null;
  const engagement = s.decision?.engagementRetenuCents ?? proposal?.engagementRetenuCents ?? null;
  const soldeDecide = s.decision?.soldeDecideCents ?? proposal?.soldeDecideCents ?? null;

  const pieces: PieceView[] = s.pieces.map((p) => ({
    pieceId: p.pieceId,
    nomFichier: p.nomFichier,
    type: p.type,
    taille: p.taille,
    sha256: p.sha256,
    addedInVersion: numeroAspVersionOf(numeroAsp, p.addedInVersion),
    canDelete: false,
  }));
  const draftPieces: PieceView[] = (round?.piecesAdded ?? []).map((p) => ({
    pieceId: p.pieceId,
    nomFichier: p.nomFichier,
    type: p.type,
    taille: p.taille,
    sha256: p.sha256,
    addedInVersion: numeroAspVersionOf(numeroAsp, round!.round),
    canDelete: true,
  }));

  const diff: FieldDiff[] = [];
  if (round) {
    const fields = [...new Set([...Object.keys(s.champs), ...Object.keys(round.draftChamps)])].sort();
    for (const field of fields) {
      const from = s.champs[field] ?? null;
      const to = round.draftChamps[field] ?? null;
      if (from !== to) diff.push({ field, label: champLabel(field), from, to });
    }
  }

  return {
    numeroAsp,
    couloir: s.identity.couloir,
    streamVersion: row.stream_version,
    recapitulatif: {
      numeroAns: s.identity.numeroAns,
      siret: s.identity.siret,
      denominationSociale: fournisseur?.denominationSociale ?? null,
      adresse: fournisseur?.adresse ?? null,
      adresseAffichee: fournisseur ? formatAdresse(fournisseur.adresse) : null,
      numeroDossier: numeroAsp,
      dateDepot: dateFrOfInstant(s.solde?.importedAt ?? s.avance.importedAt),
      phase: s.phase,
      phaseLabel: PHASE_LABELS[s.phase],
      statut: s.statut,
      statutLabel: STATUT_LABELS[s.statut],
      dateChangementStatut: s.statusChangedAt ? dateFrOfInstant(s.statusChangedAt) : null,
      statusChangedAt: s.statusChangedAt,
    },
    informations: {
      numeroAspVersion: numeroAspVersionOf(numeroAsp, round ? round.round : s.currentVersion),
      dsr: row.dsr,
      montants: {
        avanceDecide: s.avance.payment ? montantView(s.avance.payment.montantCents) : null,
        engagementRetenu: engagement === null ? null : montantView(engagement),
        soldeDecide: soldeDecide === null ? null : montantView(soldeDecide),
        proposes: s.decision === null,
      },
      champsEditables: row.champs_editables.map((field) => ({
        field,
        label: champLabel(field),
        value: s.champs[field] ?? (s.solde ? null : (s.avance?.contactSupport ?? null)),
      })),
    },
    coordonneesBancaires: fournisseur ? { iban: maskIban(fournisseur.iban), bic: fournisseur.bic } : null,
    pieces: [...pieces, ...draftPieces],
    piecesAvance: s.avance.pieces.map((p) => ({
      pieceId: p.pieceId,
      nomFichier: p.nomFichier,
      type: p.type,
      sha256: p.sha256,
    })),
    courriels: s.emailsSent.map((e) => ({
      template: e.template,
      to: e.to,
      subject: e.subject,
      sentAt: e.sentAt,
      dateEnvoi: dateFrOfInstant(e.sentAt),
    })),
    modification: round
      ? {
          bandeau: BANDEAU_A_MODIFIER,
          commentaire: round.commentaire,
          version: round.version,
          numeroAspVersion: numeroAspVersionOf(numeroAsp, round.round),
          requestedAt: round.requestedAt,
          reminderDueAt: round.reminderDueAt,
          expiresAt: round.expiresAt,
          dateLimite: dateFrOfInstant(round.expiresAt),
          reminderSent: round.reminderSent,
          draft: { champs: { ...round.draftChamps }, diff, pieces: draftPieces },
        }
      : null,
    decision: s.decision
      ? {
          validatedAt: s.decision.validatedAt,
          decisionModificative: s.decision.decisionModificative !== null,
        }
      : null,
    rejet: s.rejection
      ? {
          motif: s.rejection.motif,
          rejectedAt: s.rejection.rejectedAt,
          automatique: s.rejection.code !== null,
        }
      : null,
    allowedActions: allowedActions(s, viewer.role, now.toISOString()),
  };
};
