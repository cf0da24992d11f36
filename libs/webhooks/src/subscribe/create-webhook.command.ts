import { Command } from '@nestjs/cqrs';
import type { CreateWebhookInput, CreatedWebhook } from '../webhook-subscriptions';

/** Un service s’abonne aux événements (le secret de signature n’est montré qu’une fois). */
export class CreateWebhookCommand extends Command<CreatedWebhook> {
  constructor(
    readonly ownerSub: string,
    readonly input: CreateWebhookInput,
  ) {
    super();
  }
}
