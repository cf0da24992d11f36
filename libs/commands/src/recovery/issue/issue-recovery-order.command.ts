import { DossierBusCommand } from '../../dossier/dossier-bus-command';

/** Un ordre de recouvrement est émis après un contrôle a posteriori. */
export class IssueRecoveryOrderCommand extends DossierBusCommand<'IssueRecoveryOrder'> {
  readonly type = 'IssueRecoveryOrder' as const;
}
