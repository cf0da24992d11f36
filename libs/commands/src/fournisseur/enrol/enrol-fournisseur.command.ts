import { Command } from '@nestjs/cqrs';
import type { EnrolmentActor } from '@segur/domain';
import type { Fournisseur } from '@segur/projections';

/**
 * « Enrôlement » by assistance: the fournisseur's identity, address, mail address and bank details,
 * as sent (validated by the handler, every error listed), and who sends it (kept with each change).
 */
export class EnrolFournisseurCommand extends Command<{ fournisseur: Fournisseur; created: boolean }> {
  constructor(
    readonly siret: string,
    readonly body: unknown,
    readonly actor: EnrolmentActor,
    readonly correlationId: string,
  ) {
    super();
  }
}
