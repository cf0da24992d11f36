import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RateLimited } from '../http/rate-limit.guard';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import { ProblemError } from '../http/problem';
import type { Principal } from '@segur/auth';
import {
  CreateWebhookCommand,
  DeleteWebhookCommand,
  ListWebhookDeliveriesQuery,
  ListWebhooksQuery,
  ResumeWebhookCommand,
  RotateWebhookSecretCommand,
  type CreatedWebhook,
  type RotatedWebhookSecret,
  type WebhookDeliveryView,
  type WebhookView,
} from '@segur/webhooks';
import { CreateWebhookDto, DEFAULT_SECRET_OVERLAP_SECONDS, RotateWebhookSecretDto } from './webhooks.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DELIVERIES = 500;

const webhookId = (id: string): string => {
  // An id that cannot exist is simply unknown: same answer as another owner's subscription.
  if (!UUID.test(id)) throw new ProblemError(404, 'INTROUVABLE', `Abonnement ${id.slice(0, 64)} introuvable`);
  return id;
};

const SIGNATURE_DOC =
  'Chaque événement est envoyé seul, dans l’ordre, en POST JSON (l’enveloppe du flux), avec les en-têtes ' +
  'Standard Webhooks (https://www.standardwebhooks.com) : `webhook-id` (l’identifiant de l’événement), ' +
  '`webhook-timestamp` (secondes Unix) et `webhook-signature: v1,<base64 HMAC-SHA256("<webhook-id>.<timestamp>.<corps brut>")>`, ' +
  'clé = octets du base64 qui suit `whsec_` ; toute bibliothèque Standard Webhooks la vérifie. ' +
  'Migration : les anciens en-têtes `Segur-*` sont encore envoyés tant que `WEBHOOK_LEGACY_HEADERS` vaut true (cette version). ' +
  'Seule une réponse 2xx fait avancer le curseur de l’abonnement ; sinon (ou au-delà de 5 s) le même événement est ' +
  'renvoyé plus tard, avec un délai croissant (plafonné à 10 min) : livraison au moins une fois, ' +
  'à dédoublonner par `webhook-id`. Les redirections sont des échecs. Une réponse 410 Gone, ou des échecs sans ' +
  'interruption pendant `WEBHOOK_PAUSE_AFTER` (3 jours par défaut), suspendent l’abonnement (`status: "paused"`) ' +
  'sans avancer son curseur : `POST /webhooks/{id}/resume` reprend les livraisons là où elles s’étaient arrêtées.';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@RateLimited('webhooks')
@Roles('service')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Créer un abonnement push ; le secret de signature n’est affiché qu’ici',
    description: `Par défaut l’abonnement part de la tête actuelle du journal (\`from: "now"\`) ; \`from: "beginning"\` rejoue tout l’historique. ${SIGNATURE_DOC}`,
  })
  @ApiCreatedResponse({
    description: 'Abonnement créé ; `secret` (`whsec_…`) n’est plus jamais affiché ensuite',
    schema: {
      type: 'object',
      required: ['id', 'secret', 'url', 'types', 'format', 'cursor', 'createdAt'],
      properties: {
        id: { type: 'string' },
        secret: { type: 'string', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
        url: { type: 'string' },
        types: { type: 'array', items: { type: 'string' } },
        format: { type: 'string', enum: ['envelope', 'cloudevents'] },
        cursor: { type: ['string', 'null'], description: 'Position après laquelle les livraisons partent' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateWebhookDto): Promise<CreatedWebhook> {
    return this.commands.execute(
      new CreateWebhookCommand(p.sub, {
        url: body.url,
        types: body.types,
        from: body.from ?? 'now',
        format: body.format ?? 'envelope',
      }),
    );
  }

  @Get()
  @ApiOperation({ summary: 'Mes abonnements (sans le secret), avec leur curseur et leur état de livraison' })
  list(@CurrentPrincipal() p: Principal): Promise<WebhookView[]> {
    return this.queries.execute(new ListWebhooksQuery(p.sub));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Journal des tentatives de livraison, de la plus récente à la plus ancienne' })
  @ApiQuery({ name: 'limit', required: false, description: `1 à ${MAX_DELIVERIES} (défaut 100)` })
  @ApiQuery({
    name: 'before',
    required: false,
    description: 'Identifiant de tentative : les tentatives plus anciennes',
  })
  deliveries(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query('limit') limitQ?: string,
    @Query('before') before?: string,
  ): Promise<{ deliveries: WebhookDeliveryView[]; next: string | null }> {
    const limit = limitQ === undefined ? 100 : Number(limitQ);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERIES)
      throw new ProblemError(400, 'REQUETE_INVALIDE', `limit : entier de 1 à ${MAX_DELIVERIES}`);
    if (before !== undefined && !/^\d{1,18}$/.test(before))
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'before : identifiant de tentative attendu');
    return this.queries.execute(
      new ListWebhookDeliveriesQuery(p.sub, webhookId(id), { before: before ?? null, limit }),
    );
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renouveler le secret de signature ; le nouveau n’est affiché qu’ici',
    description:
      'L’ancien secret continue de signer pendant `keepPreviousSeconds` (24 h par défaut) : `webhook-signature` porte alors ' +
      'deux valeurs `v1,` séparées par une espace (nouveau secret puis ancien), et un récepteur qui vérifie « l’une des valeurs » accepte les deux ' +
      'pendant son déploiement. `keepPreviousSeconds: 0` révoque l’ancien immédiatement.',
  })
  rotateSecret(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: RotateWebhookSecretDto,
  ): Promise<RotatedWebhookSecret> {
    return this.commands.execute(
      new RotateWebhookSecretCommand(
        p.sub,
        webhookId(id),
        body.keepPreviousSeconds ?? DEFAULT_SECRET_OVERLAP_SECONDS,
      ),
    );
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reprendre un abonnement suspendu (ou réessayer tout de suite un abonnement en échec)',
    description:
      'Les livraisons repartent du curseur, c’est-à-dire du premier événement non livré : rien n’est perdu pendant la ' +
      'suspension. Le compteur d’échecs repart de zéro.',
  })
  resume(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<WebhookView> {
    return this.commands.execute(new ResumeWebhookCommand(p.sub, webhookId(id)));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer un abonnement (le journal de livraison est conservé)' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new DeleteWebhookCommand(p.sub, webhookId(id)));
  }
}
