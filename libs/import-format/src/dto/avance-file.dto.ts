import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsDefined, IsObject, ValidateNested } from 'class-validator';
import { BonDeCommandeDto } from './bon-de-commande.dto';
import { ImportHeaderFieldsDto } from './import-header.dto';
import { ImportLineDto } from './import-line.dto';
import { IsContactSupport, fr } from './value-object.validators';

/** One avance line = one dossier = one bénéficiaire; the numéro ASP is assigned by the import. */
export class AvanceLineDto extends ImportLineDto {
  @IsDefined(fr('champ obligatoire'))
  @ValidateNested()
  @IsObject(fr('objet attendu'))
  @Type(() => BonDeCommandeDto)
  bonDeCommande!: BonDeCommandeDto;

  /** Email address or https link of the support offered to the site. */
  @IsDefined(fr('champ obligatoire'))
  @IsContactSupport()
  contactSupport!: string;
}

/** The avance import file as a whole (for OpenAPI and pipes; validateImportFile checks line by line). */
export class AvanceFileDto extends ImportHeaderFieldsDto {
  @IsDefined(fr('champ obligatoire'))
  @ArrayMinSize(1, fr('au moins une ligne attendue'))
  @IsArray(fr('liste de lignes attendue'))
  @ValidateNested({ each: true })
  @Type(() => AvanceLineDto)
  lignesImport!: AvanceLineDto[];
}
