import { IsDefined } from 'class-validator';
import { IsDateFr, IsMontant, fr } from './value-object.validators';

/** Avance: the signed order the 30 % advance is computed from. */
export class BonDeCommandeDto {
  /** `dd/MM/yyyy`. */
  @IsDefined(fr('champ obligatoire'))
  @IsDateFr()
  dateBonDeCommande!: string;

  /** Euros HT, at most two decimals, > 0 (JSON number, or decimal text). */
  @IsDefined(fr('champ obligatoire', 'MONTANT_INVALIDE'))
  @IsMontant()
  montantSegurHTBonDeCommande!: number | string;
}
