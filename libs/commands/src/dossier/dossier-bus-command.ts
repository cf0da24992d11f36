import { Command } from '@nestjs/cqrs';
import type { DossierCommand, DossierCommandType } from '@segur/domain';
import type { Issuer } from '../pipeline/command-context';
import type { CommandOutcome } from '../pipeline/command-outcome';

/** The data a use case's domain command carries (without its actor and instant). */
export type DataOf<T extends DossierCommandType> = Extract<DossierCommand, { type: T }>['data'];

/**
 * A command of the CommandBus on one dossier: the domain command's data and who issues it. Each use
 * case has its own class (and handler); the handler adds the instant and anything from configuration.
 */
export abstract class DossierBusCommand<
  T extends DossierCommandType,
  D = DataOf<T>,
> extends Command<CommandOutcome> {
  abstract readonly type: T;

  constructor(
    readonly data: D,
    readonly issuer: Issuer,
  ) {
    super();
  }
}
