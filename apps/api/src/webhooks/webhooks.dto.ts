import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { WEBHOOK_URL_MAX_LENGTH, webhookUrlProblem } from '@segur/application';
import { EVENT_CATALOGUE } from '../feed/event-catalogue';

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
}
