import { dossierError, fail, ok, type Result } from '../dossier/dossier.errors';
import type { DossierState, OpenRound } from '../dossier/dossier.state';
import { hasReached } from './open-round.guard';

/**
 * TIM-3, TIM-4. Timers are delivered at least once and may arrive after the round ended: a reminder or expiry
 * for a round that is no longer the open one does nothing (null), and is not an error. One that
 * arrives early is refused with its own code (not a wrong statut) so that the scheduler retries it.
 */
export const roundDueFor = (
  state: DossierState,
  version: string,
  at: string,
  dueAt: (round: OpenRound) => string,
): Result<OpenRound | null> => {
  const round = state.openRound;
  if (round === null || round.version !== version) return ok(null);
  if (!hasReached(at, dueAt(round))) {
    return fail(dossierError('ECHEANCE_NON_ATTEINTE', `échéance non atteinte (${dueAt(round)})`));
  }
  return ok(round);
};
