import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  Max,
  Min,
  IsOptional,
  IsString,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { MAX_SECRET_OVERLAP_SECONDS, WEBHOOK_URL_MAX_LENGTH, webhookUrlProblem } from '@segur/webhooks';
import { EVENT_CATALOGUE } from '@segur/domain';

const EVENT_TYPES = Object.keys(EVENT_CATALOGUE);

@ValidatorConstraint({ name: 'webhookUrl' })
class WebhookUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && webhookUrlProblem(value) === null;
  }
  defaultMessage(args: ValidationArguments): string {
    return typeof args.value === 'string'
      ? (webhookUrlProblem(args.value) ?? 'url invalide')
      : 'url : texte attendu';
  }
}

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://recepteur.example.fr/segur/evenements',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    description:
      'URL https qui reçoit un POST par événement. http n’est accepté que vers la machine elle-même (localhost, 127.0.0.0/8, ::1).',
  })
  @Validate(WebhookUrlConstraint)
  url!: string;

  @ApiProperty({
    type: [String],
    enum: EVENT_TYPES,
    example: ['AvanceImported', 'SoldeValidated'],
    description: 'Types d’événements voulus ; liste vide : tous les types.',
  })
  @IsArray({ message: 'types : liste attendue' })
  @ArrayMaxSize(EVENT_TYPES.length, { message: `types : ${EVENT_TYPES.length} éléments au plus` })
  @IsString({ each: true, message: 'types : chaque type est un texte' })
  @IsIn(EVENT_TYPES, { each: true, message: 'types : type d’événement inconnu ($value)' })
  types!: string[];

  @ApiPropertyOptional({
    enum: ['now', 'beginning'],
    default: 'now',
    description:
      '`now` (défaut) : les événements ajoutés après la création ; `beginning` : tout l’historique, puis la suite.',
  })
  @IsOptional()
  @IsIn(['now', 'beginning'], { message: 'from : « now » ou « beginning »' })
  from?: 'now' | 'beginning';

  @ApiPropertyOptional({
    enum: ['envelope', 'cloudevents'],
    default: 'envelope',
    description:
      'Corps des livraisons : `envelope` (défaut), l’enveloppe du flux ; `cloudevents`, un CloudEvent 1.0 en mode structuré (`Content-Type: application/cloudevents+json`).',
  })
  @IsOptional()
  @IsIn(['envelope', 'cloudevents'], { message: 'format : « envelope » ou « cloudevents »' })
  format?: 'envelope' | 'cloudevents';
}

export const DEFAULT_SECRET_OVERLAP_SECONDS = 24 * 3600;

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_SECRET_OVERLAP_SECONDS,
    default: DEFAULT_SECRET_OVERLAP_SECONDS,
    description:
      'Pendant combien de secondes l’ancien secret signe encore (deuxième valeur `v1,` de `webhook-signature`), ' +
      'le temps de déployer le nouveau chez le récepteur. 0 : l’ancien secret est révoqué immédiatement (fuite).',
  })
  @IsOptional()
  @IsInt({ message: 'keepPreviousSeconds : entier attendu' })
  @Min(0, { message: 'keepPreviousSeconds : 0 au moins' })
  @Max(MAX_SECRET_OVERLAP_SECONDS, {
    message: `keepPreviousSeconds : ${MAX_SECRET_OVERLAP_SECONDS} au plus (7 jours)`,
  })
  keepPreviousSeconds?: number;
}
