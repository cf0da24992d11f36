import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsFiness, fr } from './value-object.validators';
import { PieceJustificativeDto } from './piece-justificative.dto';

/** Only creation exists on the portal; any other action is refused (CHAMP_INVALIDE). */
export const TYPES_ACTION = ['C'] as const;

/** Keeps numLigne a safe integer whatever the file says. */
export const NUM_LIGNE_MAX = 999_999_999;

/** Far above any real dossier; bounds the work one line can cause. */
export const MAX_PIECES_PER_LINE = 100;

/** Fields shared by avance and solde lines. */
export abstract class ImportLineDto {
  /** Positive integer, unique in the file: the supplier's own reference to the line. */
  @IsDefined(fr('champ obligatoire'))
  @Min(1, fr('numLigne : entier positif attendu'))
  @Max(NUM_LIGNE_MAX, fr(`numLigne : ${NUM_LIGNE_MAX} au plus`))
  @IsInt(fr('numLigne : entier positif attendu'))
  numLigne!: number;

  @IsDefined(fr('champ obligatoire'))
  @IsIn(TYPES_ACTION, fr('typeAction inconnu : seule la création (C) est acceptée'))
  typeAction!: 'C';

  @IsDefined(fr('champ obligatoire'))
  @Length(1, 50, fr('numeroEditeur : 1 à 50 caractères'))
  @IsString(fr('numeroEditeur : texte attendu'))
  numeroEditeur!: string;

  /** FINESS géographique of the site. */
  @IsDefined(fr('champ obligatoire', 'FINESS_INVALIDE'))
  @IsFiness()
  beneficiaire!: string;

  /** Absent means none; mandatory pieces are a business rule (PIECE_OBLIGATOIRE_MANQUANTE). */
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(MAX_PIECES_PER_LINE, fr(`${MAX_PIECES_PER_LINE} pièces au plus par ligne`))
  @IsArray(fr('liste de pièces attendue'))
  @Type(() => PieceJustificativeDto)
  piecesJustificatives?: PieceJustificativeDto[];
}
