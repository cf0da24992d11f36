import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { fr } from './value-object.validators';

/** What the supplier declares as installed; optional in every couloir, each field optional too. */
export class ScenariosEffectivementInstallesDto {
  @IsOptional()
  @IsBoolean(fr('booléen attendu (true ou false)'))
  hasBALMSSantePersonnelle?: boolean;

  @IsOptional()
  @Length(1, 100, fr('1 à 100 caractères'))
  @IsString(fr('texte attendu'))
  operateurMessagerie?: string;

  @IsOptional()
  @Length(1, 100, fr('1 à 100 caractères'))
  @IsString(fr('texte attendu'))
  certificatDMP?: string;

  @IsOptional()
  @Length(1, 100, fr('1 à 100 caractères'))
  @IsString(fr('texte attendu'))
  certificatINSi?: string;
}
