import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { WebhookSubscriptions } from '../webhook-subscriptions';
import type { WebhookView } from '../webhook-subscriptions';
import { ListWebhooksQuery } from './list-webhooks.query';

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery, WebhookView[]> {
  constructor(private readonly subscriptions: WebhookSubscriptions) {}

  execute(c: ListWebhooksQuery): Promise<WebhookView[]> {
    return this.subscriptions.list(c.ownerSub);
  }
}
