import { dossierError, fail, ok, type Result } from '../dossier/dossier.errors';
import { versionLabel, type DossierState, type OpenRound } from '../dossier/dossier.state';
import { statutIncompatible } from '../dossier/dossier.status';

const instant = (iso: string): number => Date.parse(iso);

// TIM-2
/** Deadlines are instants: `at` reaches `due` at the very same millisecond. */
export const hasReached = (at: string, due: string): boolean => instant(at) >= instant(due);

const expiree = (version: string) =>
  dossierError(
    'MODIFICATION_EXPIREE',
    `le délai de modification de la version ${version} est écoulé : la demande sera instruite en l'état`,
  );

/**
 * The round the supplier may still act on at `at`: open (`A_MODIFIER`) and its J+20 not reached,
 * even if the expiry timer has not fired yet. Decisions and the offered buttons both ask here.
 */
export const editableRoundAt = (state: DossierState, at: string): OpenRound | null => {
  const round = state.openRound;
  if (state.statut !== 'A_MODIFIER' || round === null || hasReached(at, round.expiresAt)) return null;
  return round;
};

/**
 * MOD-4. J+20: the supplier's draft actions (edit, add, remove, confirm, decline) need an open round whose
 * deadline has not passed, even if the expiry timer has not fired yet.
 */
export const requireEditableRound = (action: string, state: DossierState, at: string): Result<OpenRound> => {
  const editable = editableRoundAt(state, at);
  if (editable !== null) return ok(editable);
  if (state.statut === 'A_MODIFIER' && state.openRound !== null)
    return fail(expiree(state.openRound.version));
  // After an expiry the supplier deserves the real reason, not a generic "wrong status".
  if (state.statut === 'EN_COURS' && state.lastRoundOutcome === 'expired')
    return fail(expiree(versionLabel(state.roundsOpened)));
  return fail(statutIncompatible(action, state, 'une demande de solde « A modifier »'));
};
