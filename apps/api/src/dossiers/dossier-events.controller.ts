import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { dossierStreamId } from '@segur/domain';
import { EVENT_STORE, ProblemError, Roles } from '@segur/application';
import type { EventStore, RecordedEvent } from '@segur/event-store';
import { NumeroAspPipe } from './numero-asp.pipe';

const parseInstant = (v: string | undefined, name: string): number | null => {
  if (v === undefined || v === '') return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new ProblemError(400, 'DATE_INVALIDE', `${name} : date ISO-8601 attendue`);
  return t;
};

/** Audit trail: the full envelope history, read from the stream itself (no read model to trust). */
@ApiTags('dossiers — audit')
@ApiBearerAuth()
@Controller('dossiers/:numeroAsp/events')
export class DossierEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Roles('gestionnaire', 'auditeur', 'assistance')
  @ApiOperation({ summary: 'Historique complet des événements du dossier (acteur, corrélation, causalité)' })
  @ApiQuery({ name: 'types', required: false, description: 'Types séparés par des virgules' })
  @ApiQuery({ name: 'from', required: false, description: 'Instant ISO-8601 minimal (inclus)' })
  @ApiQuery({ name: 'to', required: false, description: 'Instant ISO-8601 maximal (inclus)' })
  async list(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Query('types') types?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<{ numeroAsp: string; events: RecordedEvent[] }> {
    const events = await this.store.readStream(dossierStreamId(numeroAsp));
    if (events.length === 0) throw new ProblemError(404, 'INTROUVABLE', `Dossier ${numeroAsp} introuvable`);
    const wanted = types ? new Set(types.split(',').map((t) => t.trim())) : null;
    const min = parseInstant(from, 'from');
    const max = parseInstant(to, 'to');
    return {
      numeroAsp,
      events: events.filter((e) => {
        const t = Date.parse(e.recordedAt);
        return (!wanted || wanted.has(e.type)) && (min === null || t >= min) && (max === null || t <= max);
      }),
    };
  }
}
