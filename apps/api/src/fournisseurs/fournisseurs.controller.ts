import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RateLimited } from '../http/rate-limit.guard';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import type { Principal } from '@segur/auth';
import { EnrolFournisseurCommand } from '@segur/commands';
import {
  GetEnrolmentHistoryQuery,
  GetFournisseurQuery,
  fournisseurView,
  type EnrolmentHistoryEntry,
  type FournisseurView,
} from '@segur/queries';
import { correlationIdOf, type SegurRequest } from '../http/request-context';

const ENROLMENT_SCHEMA = {
  type: 'object',
  required: ['numeroAns', 'denominationSociale', 'adresse', 'email', 'iban', 'bic'],
  additionalProperties: false,
  properties: {
    numeroAns: { type: 'string', example: 'zbuPHA0005' },
    denominationSociale: { type: 'string', example: 'GARAGE POULAT' },
    adresse: {
      type: 'object',
      required: ['ligne', 'codePostal', 'commune'],
      additionalProperties: false,
      properties: {
        ligne: { type: 'string', example: '0 cour DE MONS' },
        codePostal: { type: 'string', example: '59650' },
        commune: { type: 'string', example: 'VILLENEUVE D ASCQ' },
      },
    },
    email: { type: 'string', description: 'reçoit les courriels automatiques' },
    iban: { type: 'string', description: 'clé mod-97 vérifiée' },
    bic: { type: 'string', example: 'BNPAFRPPXXX' },
  },
};

@ApiTags('fournisseurs')
@ApiBearerAuth()
@Controller('fournisseurs')
export class FournisseursController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put(':siret')
  @RateLimited('commands')
  @Roles('assistance')
  @ApiBody({ schema: ENROLMENT_SCHEMA })
  @ApiOperation({ summary: 'Enrôler un fournisseur ou mettre à jour son enrôlement (assistance)' })
  async enrol(
    @Param('siret') siret: string,
    // Validated by parseEnrolment (stable codes IBAN_INVALIDE, BIC_INVALIDE…), not by the pipe.
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FournisseurView> {
    const correlationId = correlationIdOf(res.req as SegurRequest);
    const { fournisseur, created } = await this.commands.execute(
      new EnrolFournisseurCommand(siret, body, { id: p.sub, role: p.role }, correlationId),
    );
    res.status(created ? 201 : 200);
    return fournisseurView(fournisseur, p);
  }

  @Get(':siret/historique')
  @Roles('auditeur', 'assistance')
  @ApiOperation({
    summary:
      'Historique de l’enrôlement : chaque changement (IBAN, BIC, adresse…), son auteur, la valeur remplacée',
  })
  history(@Param('siret') siret: string): Promise<EnrolmentHistoryEntry[]> {
    return this.queries.execute(new GetEnrolmentHistoryQuery(siret));
  }

  @Get(':siret')
  @Roles('assistance', 'gestionnaire', 'auditeur', 'fournisseur')
  @ApiOperation({ summary: 'Données d’enrôlement (IBAN masqué hors assistance)' })
  get(@Param('siret') siret: string, @CurrentPrincipal() p: Principal): Promise<FournisseurView> {
    return this.queries.execute(new GetFournisseurQuery(siret, p));
  }
}
