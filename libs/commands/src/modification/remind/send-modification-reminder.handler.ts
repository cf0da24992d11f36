import { CommandHandler } from '@nestjs/cqrs';
import { TimerCommandHandler } from '../timer-command.handler';
import { SendModificationReminderCommand } from './send-modification-reminder.command';

@CommandHandler(SendModificationReminderCommand)
export class SendModificationReminderHandler extends TimerCommandHandler<SendModificationReminderCommand> {}
