import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { FactureDto } from './facture.dto';
import { ImportHeaderFieldsDto } from './import-header.dto';
import { ImportLineDto } from './import-line.dto';
import { ScenariosEffectivementInstallesDto } from './scenarios-effectivement-installes.dto';
import { IsContactSupport, IsFiness, IsNumeroAsp, fr } from './value-object.validators';

/** One solde line: quotes the numéro ASP the avance import returned. */
export class SoldeLineDto extends ImportLineDto {
  @IsDefined(fr('champ obligatoire', 'NUMERO_ASP_INVALIDE'))
  @IsNumeroAsp()
  numeroASP!: string;

  @IsDefined(fr('champ obligatoire'))
  @ValidateNested()
  @IsObject(fr('objet attendu'))
  @Type(() => FactureDto)
  facture!: FactureDto;

  /** Site A that became the line's bénéficiaire B (DOMAIN rule 6). */
  @IsOptional()
  @IsFiness()
  beneficiaireHistorique?: string | null;

  @IsOptional()
  @IsContactSupport()
  contactSupport?: string | null;

  @IsOptional()
  @ValidateNested()
  @IsObject(fr('objet attendu'))
  @Type(() => ScenariosEffectivementInstallesDto)
  scenariosEffectivementInstalles?: ScenariosEffectivementInstallesDto | null;
}

/** The solde import file as a whole (for OpenAPI and pipes; validateImportFile checks line by line). */
export class SoldeFileDto extends ImportHeaderFieldsDto {
  @IsDefined(fr('champ obligatoire'))
  @ArrayMinSize(1, fr('au moins une ligne attendue'))
  @IsArray(fr('liste de lignes attendue'))
  @ValidateNested({ each: true })
  @Type(() => SoldeLineDto)
  lignesImport!: SoldeLineDto[];
}
