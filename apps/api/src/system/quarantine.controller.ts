import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@segur/auth';
import type { QuarantineEntry, QuarantineStatus, RetryOutcome } from '@segur/projections';
import { ListQuarantineQuery, RetryQuarantinedCommand } from '@segur/worker';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import { ProblemError } from '../http/problem';

const STATUSES: readonly QuarantineStatus[] = ['failing', 'quarantined', 'held'];
const PROJECTION = /^[a-z][a-z0-9-]{0,62}$/;

/** What a refused or failed retry of one entry answers over HTTP (docs/api.md, docs/operations.md). */
const problemOf = (o: RetryOutcome): ProblemError | null => {
  if (o.outcome === 'applied') return null;
  if (o.outcome === 'failed')
    return new ProblemError(
      409,
      'QUARANTAINE_ECHEC',
      `L’événement échoue encore dans « ${o.projection} » : ${o.error}`,
    );
  return new ProblemError(o.code === 'QUARANTAINE_INCONNUE' ? 404 : 409, o.code, o.reason);
};

/**
 * Operators' view of the events a projection could not apply (docs/operations.md, "Quarantine").
 * `assistance` runs the engine; `auditeur` may look.
 */
@ApiTags('système')
@ApiBearerAuth()
@Controller('admin/quarantine')
export class QuarantineController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('assistance', 'auditeur')
  @ApiOperation({
    summary: 'Événements en échec, en quarantaine ou retenus, par projection (assistance, auditeur)',
  })
  async list(
    @Query('projection') projection?: string,
    @Query('status') status?: string,
  ): Promise<{ entries: QuarantineEntry[] }> {
    if (projection !== undefined && !PROJECTION.test(projection))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'projection : nom de projection attendu');
    if (status !== undefined && !STATUSES.includes(status as QuarantineStatus))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'status : failing, quarantined ou held');
    return this.queries.execute(
      new ListQuarantineQuery({
        ...(projection ? { projection } : {}),
        ...(status ? { status: status as QuarantineStatus } : {}),
      }),
    );
  }

  @Post('retry-all')
  @HttpCode(200)
  @Roles('assistance')
  @ApiOperation({ summary: 'Réessaie chaque flux en quarantaine (assistance)' })
  async retryAll(@CurrentPrincipal() p: Principal): Promise<{ outcomes: RetryOutcome[] }> {
    return this.commands.execute(new RetryQuarantinedCommand('all', p.sub));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('assistance')
  @ApiOperation({
    summary: 'Réapplique un événement en quarantaine et ceux retenus derrière lui (assistance)',
  })
  async retry(@Param('id') id: string, @CurrentPrincipal() p: Principal): Promise<RetryOutcome> {
    const { outcomes } = await this.commands.execute(new RetryQuarantinedCommand(id, p.sub));
    const outcome = outcomes[0]!;
    const problem = problemOf(outcome);
    if (problem) throw problem;
    return outcome;
  }
}
