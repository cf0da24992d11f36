import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import type { WebhookDeliveryView } from '../webhook-subscriptions';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';

@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<
  ListWebhookDeliveriesQuery,
  { deliveries: WebhookDeliveryView[]; next: string | null }
> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(
    c: ListWebhookDeliveriesQuery,
  ): Promise<{ deliveries: WebhookDeliveryView[]; next: string | null }> {
    return this.subscriptions.deliveries(c.ownerSub, c.id, c.page);
  }
}
