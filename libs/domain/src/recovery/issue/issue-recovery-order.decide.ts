import type { IssueRecoveryOrder } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';

/** A posteriori control: an irregularity on a decided solde may lead to an ordre de recouvrement. */
export const decideIssueRecoveryOrder = (
  command: IssueRecoveryOrder,
  state: ExistingDossier,
): Result<DossierEvent[]> => {
  // REC-1: on a solde VALIDEE or PAIEMENT_EFFECTUE; REC-2: amount > 0 and a motif.
  if (state.phase !== 'SOLDE' || (state.statut !== 'VALIDEE' && state.statut !== 'PAIEMENT_EFFECTUE')) {
    return fail(
      statutIncompatible(
        "Émission d'un ordre de recouvrement",
        state,
        'une demande de solde « Validée » ou « Paiement effectué »',
      ),
    );
  }
  const { montantCents } = command.data;
  if (!Number.isSafeInteger(montantCents) || montantCents <= 0) {
    return fail(
      dossierError('MONTANT_INVALIDE', 'le montant à recouvrer doit être strictement positif', 'montant'),
    );
  }
  const motif = command.data.motif.trim();
  if (motif === '') {
    return fail(
      dossierError('MOTIF_OBLIGATOIRE', "le motif de l'ordre de recouvrement est obligatoire", 'motif'),
    );
  }
  return ok([
    {
      type: 'RecoveryOrderIssued',
      data: {
        numeroAsp: state.identity.numeroAsp,
        montantCents,
        motif,
        issuedBy: command.actor.id,
        issuedAt: command.at,
      },
    },
  ]);
};
