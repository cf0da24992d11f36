import { dossierError, type DossierError } from './dossier.errors';

export type Phase = 'AVANCE' | 'SOLDE';
export type Statut = 'EN_COURS' | 'A_MODIFIER' | 'VALIDEE' | 'REJETEE' | 'PAIEMENT_EFFECTUE';

export const STATUT_LABELS: Readonly<Record<Statut, string>> = {
  EN_COURS: 'En cours',
  A_MODIFIER: 'A modifier',
  VALIDEE: 'Validée',
  REJETEE: 'Rejetée',
  PAIEMENT_EFFECTUE: 'Paiement effectué',
};

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  AVANCE: "Demande d'avance",
  SOLDE: 'Demande de solde',
};

/** How a modification round ended; the Historique tab shows it for every round. */
export type RoundOutcome = 'submitted' | 'declined' | 'expired';

const SUBJECTS: Readonly<Record<Phase, string>> = {
  AVANCE: "la demande d'avance",
  SOLDE: 'la demande de solde',
};

const describe = (phase: Phase | null, statut: Statut | null): string =>
  phase === null || statut === null
    ? "la demande n'existe pas"
    : `${SUBJECTS[phase]} est au statut « ${STATUT_LABELS[statut]} »`;

/**
 * One wording for every "wrong state" refusal, so users read the same sentence whatever the
 * command: where the dossier stands, and what the action needs.
 */
// DOS-3: the one STATUT_INCOMPATIBLE wording.
export const statutIncompatible = (
  action: string,
  current: { phase: Phase | null; statut: Statut | null },
  expected: string,
): DossierError =>
  dossierError(
    'STATUT_INCOMPATIBLE',
    `${action} impossible : ${describe(current.phase, current.statut)} ; il faut ${expected}`,
  );
