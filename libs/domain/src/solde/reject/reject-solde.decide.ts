import type { RejectSolde } from '../../dossier/dossier.commands';
import { dossierError, fail, ok, type Result } from '../../dossier/dossier.errors';
import type { DossierEvent } from '../../dossier/dossier.events';
import type { ExistingDossier } from '../../dossier/dossier.state';
import { statutIncompatible } from '../../dossier/dossier.status';

export const decideRejectSolde = (command: RejectSolde, state: ExistingDossier): Result<DossierEvent[]> => {
  // SOL-11: only a solde EN_COURS, with a motif.
  if (state.phase !== 'SOLDE' || state.statut !== 'EN_COURS') {
    return fail(statutIncompatible('Rejet', state, 'une demande de solde « En cours »'));
  }
  const motif = command.data.motif.trim();
  if (motif === '') {
    return fail(dossierError('MOTIF_OBLIGATOIRE', 'le motif du rejet est obligatoire', 'motif'));
  }
  return ok([
    {
      type: 'SoldeRejected',
      data: {
        numeroAsp: state.identity.numeroAsp,
        motif,
        gestionnaireId: command.actor.id,
        rejectedAt: command.at,
      },
    },
  ]);
};
