import { Command } from '@nestjs/cqrs';
import type { WebhookView } from '../webhook-subscriptions';

/** Les livraisons reprennent au curseur (abonnement suspendu, ou en échec à réessayer tout de suite). */
export class ResumeWebhookCommand extends Command<WebhookView> {
  constructor(
    readonly ownerSub: string,
    readonly id: string,
  ) {
    super();
  }
}
