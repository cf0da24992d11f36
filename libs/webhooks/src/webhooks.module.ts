import { Module } from '@nestjs/common';
import { INFRA, webhookSecretKeyOf, type Infrastructure } from '@segur/platform';
import { WebhookSecretBox } from './webhook-secret-box';
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
        new WebhookSubscriptions(
          infra.sql,
          infra.store,
          new WebhookSecretBox(webhookSecretKeyOf(infra.config)),
          {
            allowLoopback: infra.config.webhooks.allowLoopback,
          },
          undefined,
          infra.config.rateLimits.webhookSubscriptions,
        ),
    },
    {
      // Secrets stored before encryption are encrypted at start; reads accept both forms meanwhile.
      provide: 'WEBHOOK_SECRETS_AT_REST',
      inject: [WebhookSubscriptions],
      useFactory: async (subscriptions: WebhookSubscriptions) => subscriptions.encryptPlaintextSecrets(),
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
