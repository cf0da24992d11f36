import { Module } from '@nestjs/common';
import { INFRA, type Infrastructure } from '@segur/platform';
import { CreateWebhookHandler } from './subscribe/create-webhook.handler';
import { RotateWebhookSecretHandler } from './rotate-secret/rotate-webhook-secret.handler';
import { ResumeWebhookHandler } from './resume/resume-webhook.handler';
import { DeleteWebhookHandler } from './delete/delete-webhook.handler';
import { ListWebhooksHandler } from './list/list-webhooks.handler';
import { ListWebhookDeliveriesHandler } from './deliveries/list-webhook-deliveries.handler';
import { WebhookSubscriptions } from './webhook-subscriptions';

/** Push subscriptions managed through the CommandBus and QueryBus; delivery runs in the worker. */
@Module({
  providers: [
    {
      provide: WebhookSubscriptions,
      inject: [INFRA],
      useFactory: (infra: Infrastructure) =>
        new WebhookSubscriptions(infra.sql, infra.store, {
          allowLoopback: infra.config.webhooks.allowLoopback,
        }),
    },
    CreateWebhookHandler,
    RotateWebhookSecretHandler,
    ResumeWebhookHandler,
    DeleteWebhookHandler,
    ListWebhooksHandler,
    ListWebhookDeliveriesHandler,
  ],
})
export class WebhooksModule {}
