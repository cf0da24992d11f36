import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsNumber, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const TWO_DECIMALS = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

export class RequestModificationDto {
  @ApiProperty({ example: 'test modif', description: 'Commentaire du gestionnaire (obligatoire)' })
  @IsString({ message: 'commentaire : texte attendu' })
  @MaxLength(4000, { message: 'commentaire : 4000 caractères au plus' })
  commentaire!: string;
}

export class EditDraftDto {
  @ApiPropertyOptional({
    example: 'test123@gmail.com',
    description: 'Coordonnées de contact ou lien vers la plateforme de support (email ou URL https)',
  })
  @IsOptional()
  @IsString({ message: 'contactSupport : texte attendu' })
  @MaxLength(500, { message: 'contactSupport : 500 caractères au plus' })
  contactSupport?: string;
}

export class PaymentDto {
  @ApiPropertyOptional({
    example: '15/06/2023',
    description: 'Date de paiement dd/MM/yyyy (défaut : aujourd’hui)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{2}\/\d{2}\/\d{4}$/, { message: 'datePaiement : date dd/MM/yyyy attendue' })
  datePaiement?: string;

  @ApiPropertyOptional({ example: 30000.0, description: 'Montant payé en euros (défaut : montant décidé)' })
  @IsOptional()
  @IsNumber(TWO_DECIMALS, { message: 'montant : nombre avec au plus deux décimales attendu' })
  @Min(0.01, { message: 'montant : strictement positif' })
  montant?: number;
}

export class ValidateSoldeDto {
  @ApiPropertyOptional({ example: 100000.0, description: 'Montant de l’engagement SEGUR retenu (euros)' })
  @IsOptional()
  @IsNumber(TWO_DECIMALS, { message: 'engagementRetenu : nombre avec au plus deux décimales attendu' })
  @Min(0, { message: 'engagementRetenu : positif ou nul' })
  engagementRetenu?: number;

  @ApiPropertyOptional({ example: 70000.0, description: 'Montant décidé du solde (euros)' })
  @IsOptional()
  @IsNumber(TWO_DECIMALS, { message: 'soldeDecide : nombre avec au plus deux décimales attendu' })
  @Min(0, { message: 'soldeDecide : positif ou nul' })
  soldeDecide?: number;

  @ApiPropertyOptional({
    description:
      'Ignoré à l’entrée : la décision d’attribution modificative est calculée à partir des écarts avance / solde.',
  })
  @IsOptional()
  decisionModificative?: unknown;
}

export class RejectSoldeDto {
  @ApiProperty({ example: 'VA non conforme' })
  @IsString({ message: 'motif : texte attendu' })
  @IsNotEmpty({ message: 'motif : obligatoire' })
  @MaxLength(4000)
  motif!: string;
}

export class RecoveryOrderDto {
  @ApiProperty({ example: 1500.0, description: 'Montant à recouvrer (euros)' })
  @IsNumber(TWO_DECIMALS, { message: 'montant : nombre avec au plus deux décimales attendu' })
  @Min(0.01, { message: 'montant : strictement positif' })
  montant!: number;

  @ApiProperty({ example: 'Contrôle a posteriori : VA absente' })
  @IsString({ message: 'motif : texte attendu' })
  @IsNotEmpty({ message: 'motif : obligatoire' })
  @MaxLength(4000)
  motif!: string;
}

export class AddPieceDto {
  @ApiProperty({ example: 'AUTRE_S', description: 'Type de pièce (configuration du couloir)' })
  @IsString({ message: 'type : texte attendu' })
  @IsNotEmpty({ message: 'type : obligatoire' })
  type!: string;
}
