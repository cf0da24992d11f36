import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import type { RotatedWebhookSecret } from '../webhook-subscriptions';
import { RotateWebhookSecretCommand } from './rotate-webhook-secret.command';

@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<
  RotateWebhookSecretCommand,
  RotatedWebhookSecret
> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(c: RotateWebhookSecretCommand): Promise<RotatedWebhookSecret> {
    return this.subscriptions.rotateSecret(c.ownerSub, c.id, c.keepPreviousSeconds);
  }
}
