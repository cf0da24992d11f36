import { CommandHandler } from '@nestjs/cqrs';
import { TimerCommandHandler } from '../timer-command.handler';
import { ExpireModificationCommand } from './expire-modification.command';

@CommandHandler(ExpireModificationCommand)
export class ExpireModificationHandler extends TimerCommandHandler<ExpireModificationCommand> {}
