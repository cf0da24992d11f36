import { Command } from '@nestjs/cqrs';
import type { Fournisseur } from '@segur/projections';

/**
 * « Enrôlement » by assistance: the fournisseur's identity, address, mail address and bank details,
 * as sent (validated by the handler, every error listed).
 */
export class EnrolFournisseurCommand extends Command<{ fournisseur: Fournisseur; created: boolean }> {
  constructor(
    readonly siret: string,
    readonly body: unknown,
  ) {
    super();
  }
}
