import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import { DeleteWebhookCommand } from './delete-webhook.command';

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand, void> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(c: DeleteWebhookCommand): Promise<void> {
    return this.subscriptions.remove(c.ownerSub, c.id);
  }
}
