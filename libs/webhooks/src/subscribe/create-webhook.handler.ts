import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import type { CreatedWebhook } from '../webhook-subscriptions';
import { CreateWebhookCommand } from './create-webhook.command';

@CommandHandler(CreateWebhookCommand)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhookCommand, CreatedWebhook> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(c: CreateWebhookCommand): Promise<CreatedWebhook> {
    return this.subscriptions.create(c.ownerSub, c.input);
  }
}
