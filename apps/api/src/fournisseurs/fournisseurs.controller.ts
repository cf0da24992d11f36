import { Body, Controller, Get, Inject, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CurrentPrincipal,
  FournisseurService,
  ProblemError,
  Roles,
  SQL_CLIENT,
  fournisseurView,
  type FournisseurView,
  type Principal,
} from '@segur/application';
import type { SqlClient } from '@segur/event-store';

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
  private readonly fournisseurs: FournisseurService;

  constructor(@Inject(SQL_CLIENT) sql: SqlClient) {
    this.fournisseurs = new FournisseurService(sql);
  }

  @Put(':siret')
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
    const { fournisseur, created } = await this.fournisseurs.enrol(siret, body);
    res.status(created ? 201 : 200);
    return fournisseurView(fournisseur, p);
  }

  @Get(':siret')
  @Roles('assistance', 'gestionnaire', 'auditeur', 'fournisseur')
  @ApiOperation({ summary: 'Données d’enrôlement (IBAN masqué hors assistance)' })
  async get(@Param('siret') siret: string, @CurrentPrincipal() p: Principal): Promise<FournisseurView> {
    const f = /^\d{14}$/.test(siret) ? await this.fournisseurs.find(siret, p) : null;
    if (f === null)
      throw new ProblemError(404, 'INTROUVABLE', `fournisseur ${siret.slice(0, 20)} introuvable`);
    return fournisseurView(f, p);
  }
}
