import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import type { WebhookView } from '../webhook-subscriptions';
import { ResumeWebhookCommand } from './resume-webhook.command';

@CommandHandler(ResumeWebhookCommand)
export class ResumeWebhookHandler implements ICommandHandler<ResumeWebhookCommand, WebhookView> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(c: ResumeWebhookCommand): Promise<WebhookView> {
    return this.subscriptions.resume(c.ownerSub, c.id);
  }
}
