import { Query } from '@nestjs/cqrs';
import type { WebhookView } from '../webhook-subscriptions';

/** Les abonnements d’un service. */
export class ListWebhooksQuery extends Query<WebhookView[]> {
  constructor(readonly ownerSub: string) {
    super();
  }
}
