import { Command } from '@nestjs/cqrs';

/** L’abonnement est supprimé ; son journal de livraisons reste pour l’audit. */
export class DeleteWebhookCommand extends Command<void> {
  constructor(
    readonly ownerSub: string,
    readonly id: string,
  ) {
    super();
  }
}
