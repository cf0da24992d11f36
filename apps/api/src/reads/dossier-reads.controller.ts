import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import { ProblemError } from '../http/problem';
import type { Principal } from '@segur/auth';
import { STATUT_LABELS, type Statut } from '@segur/domain';
import type { AsOfMarker, DossierListPage, ListFilters, SuiviPage, VersionView } from '@segur/projections';
import { GetSuiviQuery, GetVersionsQuery, ListDossiersQuery } from '@segur/queries';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';
import { ApiAsOf, markAsOf, parseAsOf } from './as-of.param';

@ApiTags('dossiers — lecture')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'Attendre (5 s au plus) que les vues intègrent cette position',
})
@Controller('dossiers')
// Not `service`: integrators follow the feed and webhooks; suivi pages carry the emails'
// recipients and the fournisseur's contact details, which they do not need.
@Roles('fournisseur', 'gestionnaire', 'assistance', 'auditeur')
export class DossierReadsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':numeroAsp')
  @ApiOperation({
    summary:
      'Page de suivi : récapitulatif, version actuelle, pièces, courriels, bandeau, brouillon, actions',
  })
  @ApiAsOf()
  async suivi(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('x-min-position') minPosition?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
  ): Promise<SuiviPage & { asOf?: AsOfMarker }> {
    const point = parseAsOf(asOf, atPosition);
    const page = await this.queries.execute(new GetSuiviQuery(numeroAsp, p, minPosition, point));
    markAsOf(res, page.asOf);
    return page;
  }

  @Get(':numeroAsp/versions')
  @ApiOperation({
    summary: 'Historique : chaque version (M1…) avec ce qui a changé, qui, quand, et son issue',
  })
  @ApiAsOf()
  async versions(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
    @Headers('x-min-position') minPosition?: string,
    @Query('asOf') asOf?: string,
    @Query('atPosition') atPosition?: string,
  ): Promise<{ numeroAsp: string; versions: VersionView[]; asOf?: AsOfMarker }> {
    const point = parseAsOf(asOf, atPosition);
    const versions = await this.queries.execute(new GetVersionsQuery(numeroAsp, p, minPosition, point));
    markAsOf(res, versions.asOf);
    return versions;
  }

  @Get()
  @ApiOperation({
    summary: 'Liste des dossiers (un fournisseur ne voit que les siens), pagination par curseur',
  })
  @ApiQuery({
    name: 'statut',
    required: false,
    description: 'EN_COURS, A_MODIFIER, … (plusieurs séparés par des virgules)',
  })
  @ApiQuery({ name: 'couloir', required: false })
  @ApiQuery({ name: 'phase', required: false, description: 'AVANCE | SOLDE' })
  @ApiQuery({
    name: 'q',
    required: false,
    description: 'Recherche sur numéro ASP, SIRET, dénomination sociale',
  })
  @ApiQuery({
    name: 'overdue',
    required: false,
    description: 'true : modification dont l’échéance est dépassée',
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1 à 200 (défaut 50)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Headers('x-min-position') minPosition?: string,
    @Query('statut') statut?: string,
    @Query('couloir') couloir?: string,
    @Query('phase') phase?: string,
    @Query('q') q?: string,
    @Query('overdue') overdue?: string,
    @Query('cursor') cursor?: string,
    @Query('limit') limitQ?: string,
  ): Promise<DossierListPage> {
    const statuts = statut ? statut.split(',').map((s) => s.trim()) : undefined;
    if (statuts?.some((s) => !(s in STATUT_LABELS)))
      throw new ProblemError(
        400,
        'REQUETE_INVALIDE',
        `statut : valeurs possibles ${Object.keys(STATUT_LABELS).join(', ')}`,
      );
    if (phase !== undefined && phase !== 'AVANCE' && phase !== 'SOLDE')
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'phase : AVANCE ou SOLDE');
    if (couloir !== undefined && !/^[A-Z]{3}$/.test(couloir))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'couloir : code sur 3 majuscules');
    const limit = limitQ === undefined ? 50 : Number(limitQ);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'limit : entier de 1 à 200');
    if (q !== undefined && q.length > 200)
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'q : 200 caractères au plus');
    const filters: ListFilters = {
      ...(statuts ? { statut: statuts as Statut[] } : {}),
      ...(couloir ? { couloir } : {}),
      ...(phase ? { phase: phase } : {}),
      ...(q ? { q } : {}),
      ...(overdue === 'true' ? { overdue: true } : {}),
      ...(cursor ? { cursor } : {}),
      limit,
    };
    return this.queries.execute(new ListDossiersQuery(filters, p, minPosition));
  }
}
