import { Inject } from '@nestjs/common';
import type { DossierCommandType } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import type { Clock } from '@segur/kernel';
import { CLOCK, SQL_CLIENT } from '@segur/platform';
import type { DossierBusCommand } from '../dossier/dossier-bus-command';
import { DossierCommandHandler } from '../dossier/dossier-command.handler';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { databaseNow } from './database-clock';

/** A timer's command is decided at the database's clock, as its deadline was claimed (see databaseNow). */
export abstract class TimerCommandHandler<
  C extends DossierBusCommand<DossierCommandType, unknown>,
> extends DossierCommandHandler<C> {
  constructor(
    pipeline: CommandPipeline,
    @Inject(CLOCK) clock: Clock,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {
    super(pipeline, clock);
  }

  protected override instant(): Promise<string> {
    return databaseNow(this.sql);
  }
}
