import { CommandHandler } from '@nestjs/cqrs';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { IssueRecoveryOrderCommand } from './issue-recovery-order.command';

@CommandHandler(IssueRecoveryOrderCommand)
export class IssueRecoveryOrderHandler extends DossierCommandHandler<IssueRecoveryOrderCommand> {}
