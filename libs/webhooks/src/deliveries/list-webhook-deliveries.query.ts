import { Query } from '@nestjs/cqrs';
import type { WebhookDeliveryView } from '../webhook-subscriptions';

/** Les tentatives de livraison d’un abonnement, les plus récentes d’abord. */
export class ListWebhookDeliveriesQuery extends Query<{
  deliveries: WebhookDeliveryView[];
  next: string | null;
}> {
  constructor(
    readonly ownerSub: string,
    readonly id: string,
    readonly page: { before: string | null; limit: number },
  ) {
    super();
  }
}
