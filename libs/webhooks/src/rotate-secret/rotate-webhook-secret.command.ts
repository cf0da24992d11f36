import { Command } from '@nestjs/cqrs';
import type { RotatedWebhookSecret } from '../webhook-subscriptions';

/** Un nouveau secret de signature ; l’ancien signe encore pendant le recouvrement demandé. */
export class RotateWebhookSecretCommand extends Command<RotatedWebhookSecret> {
  constructor(
    readonly ownerSub: string,
    readonly id: string,
    readonly keepPreviousSeconds: number,
  ) {
    super();
  }
}
