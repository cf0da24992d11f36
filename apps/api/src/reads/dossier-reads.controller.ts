import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, ProblemError, ReadYourWrites, SQL_CLIENT, type Principal } from '@segur/application';
import type { SqlClient } from '@segur/event-store';
import { SUIVI_PROJECTION, getSuivi, type SuiviPage } from '@segur/projections';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';

@ApiTags('dossiers — lecture')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Min-Position', required: false, description: 'Attendre (5 s au plus) que les vues intègrent cette position' })
@Controller('dossiers')
export class DossierReadsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  @Get(':numeroAsp')
  @ApiOperation({ summary: 'Page de suivi : récapitulatif, version actuelle, pièces, courriels, bandeau, brouillon, actions' })
  async suivi(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @CurrentPrincipal() p: Principal,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<SuiviPage> {
    await this.ryw.waitFor(minPosition, [SUIVI_PROJECTION]);
    const page = await getSuivi(this.sql, numeroAsp, { role: p.role, sirets: p.sirets });
    if (!page) throw new ProblemError(404, 'INTROUVABLE', `Dossier ${numeroAsp} introuvable`);
    return page;
  }
}
