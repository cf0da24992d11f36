import { ImportFileCommand } from '../import-file.command';

/** Un fichier de demandes de solde, chaque ligne citant le numéro ASP de son avance. */
export class ImportSoldeCommand extends ImportFileCommand {}
