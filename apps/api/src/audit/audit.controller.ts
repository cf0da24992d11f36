import { createHash, createPublicKey } from 'node:crypto';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { publicKeyPemOf } from '@segur/event-store';
import { INFRA, auditSigningKeyOf, type Infrastructure } from '@segur/platform';
import { VerifyDossierAuditQuery, type DossierAuditReport } from '@segur/queries';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';
import { Public, Roles } from '../http/auth.decorators';
import { ProblemError } from '../http/problem';

const BREAK_KINDS = [
  'hash',
  'prevHash',
  'version-manquante',
  'reordonnancement',
  'non-chaine',
  'tronque',
  'point-de-controle',
  'signature',
  'racine',
];

const nullable = (type: string): Record<string, unknown> => ({ type: [type, 'null'] });

const VERIFY_SCHEMA = {
  type: 'object',
  required: ['numeroAsp', 'intact', 'streams', 'events', 'position', 'checkpoint', 'break', 'message'],
  properties: {
    numeroAsp: { type: 'string' },
    intact: { type: 'boolean' },
    streams: { type: 'integer' },
    events: { type: 'integer' },
    position: { ...nullable('string'), description: 'Position du dernier événement vérifié' },
    checkpoint: {
      type: ['object', 'null'],
      description: 'Dernier point de contrôle signé vérifié (null : aucun encore)',
      properties: {
        id: { type: 'integer' },
        position: nullable('string'),
        root: { type: 'string' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    break: {
      type: ['object', 'null'],
      description: 'Premier maillon rompu (null : chaîne intègre)',
      properties: {
        kind: { type: 'string', enum: BREAK_KINDS },
        streamId: nullable('string'),
        eventId: nullable('string'),
        streamVersion: nullable('integer'),
        position: nullable('string'),
        expected: nullable('string'),
        found: nullable('string'),
        message: { type: 'string' },
      },
    },
    message: { type: 'string', examples: ["Chaîne intègre jusqu'à la position …, point de contrôle 12"] },
  },
};

/** The tamper-evident audit trail (docs/audit.md): the published key, and a dossier's verification. */
@ApiTags('dossiers — audit')
@Controller()
export class AuditController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(INFRA) private readonly infra: Infrastructure,
  ) {}

  @Get('audit/public-key')
  @Public()
  @ApiOperation({
    summary: 'Clé publique Ed25519 qui signe les points de contrôle de la piste d’audit (SPKI PEM)',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['algorithme', 'publicKey', 'empreinte'],
      properties: {
        algorithme: { type: 'string', enum: ['Ed25519'] },
        publicKey: { type: 'string', description: 'SPKI PEM' },
        empreinte: { type: 'string', description: 'SHA-256 (hex) de la clé publique DER' },
      },
    },
  })
  publicKey(): { algorithme: 'Ed25519'; publicKey: string; empreinte: string } {
    const key = auditSigningKeyOf(this.infra.config);
    if (!key)
      throw new ProblemError(
        404,
        'INTROUVABLE',
        'Aucune clé de signature d’audit configurée (AUDIT_SIGNING_KEY)',
      );
    const pem = publicKeyPemOf(key);
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return {
      algorithme: 'Ed25519',
      publicKey: pem,
      empreinte: createHash('sha256').update(der).digest('hex'),
    };
  }

  @Get('dossiers/:numeroAsp/audit/verify')
  @ApiBearerAuth()
  @Roles('gestionnaire', 'auditeur')
  @ApiOperation({
    summary:
      'Recalcule la chaîne de hachage du dossier et les preuves des points de contrôle signés : intègre, ou le premier maillon rompu',
  })
  @ApiQuery({
    name: 'fromCheckpoint',
    required: false,
    description: 'Vérifier les points de contrôle à partir de celui-ci (défaut : le dernier)',
  })
  @ApiOkResponse({ schema: VERIFY_SCHEMA })
  async verify(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Query('fromCheckpoint') fromCheckpoint?: string,
  ): Promise<DossierAuditReport> {
    let from: number | undefined;
    if (fromCheckpoint !== undefined && fromCheckpoint !== '') {
      from = Number(fromCheckpoint);
      if (!Number.isSafeInteger(from) || from < 1)
        throw new ProblemError(
          400,
          'REQUETE_INVALIDE',
          'fromCheckpoint : identifiant entier positif attendu',
        );
    }
    return this.queries.execute(new VerifyDossierAuditQuery(numeroAsp, from));
  }
}
