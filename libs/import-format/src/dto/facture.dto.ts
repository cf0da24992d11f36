import { IsDefined } from 'class-validator';
import { IsDateFr, IsMontant, fr } from './value-object.validators';

/** Solde: the invoice; its amount is the total HT of the prestation, avance included (rule 7). */
export class FactureDto {
  /** `dd/MM/yyyy`. */
  @IsDefined(fr('champ obligatoire'))
  @IsDateFr()
  dateFacture!: string;

  /** Euros HT, at most two decimals, > 0 (JSON number, or decimal text). */
  @IsDefined(fr('champ obligatoire', 'MONTANT_INVALIDE'))
  @IsMontant()
  montantSegurHTFacture!: number | string;
}
