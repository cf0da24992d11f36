import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsOptional,
  type ValidationOptions,
  registerDecorator,
} from 'class-validator';
import { IsNumeroAns, IsSiret, fr } from './value-object.validators';

/** `impId` is echoed by the supplier's software and ignored here; null, text or integer. */
const isImpId = (value: unknown): boolean =>
  value === null ||
  (typeof value === 'string' && value.length <= 100) ||
  (typeof value === 'number' && Number.isSafeInteger(value));

const IsImpId =
  (options: ValidationOptions = {}): PropertyDecorator =>
  (target, propertyKey) =>
    registerDecorator({
      name: 'isImpId',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { ...fr('impId : null, texte ou entier attendu'), ...options },
      validator: { validate: isImpId },
    });

/** Header fields shared by both files. */
export abstract class ImportHeaderFieldsDto {
  @IsOptional()
  @IsImpId()
  impId?: string | number | null;

  @IsDefined(fr('champ obligatoire'))
  @IsNumeroAns()
  numeroAns!: string;

  @IsDefined(fr('champ obligatoire', 'SIRET_INVALIDE'))
  @IsSiret()
  siret!: string;
}

/**
 * The header of both files. Its line list is only checked to be a non-empty list here: each line
 * is validated on its own so that one bad line does not hide the others (docs/api.md: lines are independent).
 */
export class ImportHeaderDto extends ImportHeaderFieldsDto {
  @IsDefined(fr('champ obligatoire'))
  @ArrayMinSize(1, fr('au moins une ligne attendue'))
  @IsArray(fr('liste de lignes attendue'))
  lignesImport!: unknown[];
}
