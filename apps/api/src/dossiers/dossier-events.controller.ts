import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { GetDossierEventsQuery } from '@segur/queries';
import { ProblemError } from '../http/problem';
import { Roles } from '../http/auth.decorators';
import type { RecordedEvent } from '@segur/event-store';
import type { AsOfMarker } from '@segur/projections';
import { ApiAsOf, markAsOf, parseAsOf } from '../reads/as-of.param';
import { NumeroAspPipe } from './numero-asp.pipe';

const parseInstant = (v: string | undefined, name: string): number | null => {
  if (v === undefined || v === '') return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ProblemError(400, 'DATE_INVALIDE', `${name} : date ISO-8601 attendue`);
  return t;
};

/** Audit trail: the full envelope history of a dossier (see GetDossierEventsQuery). */
@ApiTags('dossiers — audit')
@ApiBearerAuth()
@Controller('dossiers/:numeroAsp/events')
export class DossierEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('gestionnaire', 'auditeur', 'assistance')
  @ApiOperation({ summary: 'Historique complet des événements du dossier (acteur, corrélation, causalité)' })
  @ApiQuery({ name: 'types', required: false, description: 'Types séparés par des virgules' })
  @ApiQuery({ name: 'from', required: false, description: 'Instant ISO-8601 minimal (inclus)' })
  @ApiQuery({ name: 'to', required: false, description: 'Instant ISO-8601 maximal (inclus)' })
  @ApiAsOf()
  async list(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Res({ passthrough: true }) res: Response,
    @Query('types') types?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
  ): Promise<{ numeroAsp: string; events: RecordedEvent[]; asOf?: AsOfMarker }> {
    const point = parseAsOf(asOf, atPosition);
    const filter = {
      types: types ? new Set(types.split(',').map((t) => t.trim())) : null,
      from: parseInstant(from, 'from'),
      to: parseInstant(to, 'to'),
    };
    const trail = await this.queries.execute(new GetDossierEventsQuery(numeroAsp, filter, point));
    markAsOf(res, trail.asOf);
    return trail;
  }
}
