import { Controller, Get, Headers, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  ProblemError,
  ReadYourWrites,
  SQL_CLIENT,
  type Principal,
} from '@segur/application';
import { STATUT_LABELS, type Statut } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import {
  InvalidCursorError,
  LISTS_PROJECTION,
  SUIVI_PROJECTION,
  VERSIONS_PROJECTION,
  getSuivi,
  getVersions,
  listDossiers,
  type DossierListPage,
  type SuiviPage,
  type VersionView,
} from '@segur/projections';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';

@ApiTags('dossiers — lecture')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: 'Attendre (5 s au plus) que les vues intègrent cette position',
})
@Controller('dossiers')
export class DossierReadsController {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly ryw: ReadYourWrites,
  ) {}

  @Get(':numeroAsp')
  @ApiOperation({
    summary:
      'Page de suivi : récapitulatif, version actuelle, pièces, courriels, bandeau, brouillon, actions',
  })
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

  @Get(':numeroAsp/versions')
  @ApiOperation({
    summary: 'Historique : chaque version (M1…) avec ce qui a changé, qui, quand, et son issue',
  })
  async versions(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @CurrentPrincipal() p: Principal,
    @Headers('x-min-position') minPosition?: string,
  ): Promise<{ numeroAsp: string; versions: VersionView[] }> {
    await this.ryw.waitFor(minPosition, [VERSIONS_PROJECTION]);
    const v = await getVersions(this.sql, numeroAsp, { role: p.role, sirets: p.sirets });
    if (!v) throw new ProblemError(404, 'INTROUVABLE', `Dossier ${numeroAsp} introuvable`);
    return v;
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
    await this.ryw.waitFor(minPosition, [LISTS_PROJECTION]);
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
    try {
      return await listDossiers(
        this.sql,
        {
          ...(statuts ? { statut: statuts as Statut[] } : {}),
          ...(couloir ? { couloir } : {}),
          ...(phase ? { phase: phase } : {}),
          ...(q ? { q } : {}),
          ...(overdue === 'true' ? { overdue: true } : {}),
          ...(cursor ? { cursor } : {}),
          limit,
        },
        { role: p.role, sirets: p.sirets },
      );
    } catch (e) {
      if (e instanceof InvalidCursorError)
        throw new ProblemError(400, 'CURSEUR_INVALIDE', 'cursor : curseur invalide');
      throw e;
    }
  }
}
