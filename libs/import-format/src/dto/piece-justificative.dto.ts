import { IsDefined, IsString, Length } from 'class-validator';
import { IsPdfFileName, fr } from './value-object.validators';

/**
 * A declared supporting document; the file itself is the multipart part named `nomFichier`.
 * Whether `type` is known to the couloir is a business rule (PIECE_TYPE_INCONNU) checked by the domain.
 */
export class PieceJustificativeDto {
  @IsDefined(fr('champ obligatoire'))
  @Length(1, 100, fr('type de pièce : 1 à 100 caractères'))
  @IsString(fr('type de pièce : texte attendu'))
  type!: string;

  @IsDefined(fr('champ obligatoire'))
  @IsPdfFileName()
  nomFichier!: string;
}
