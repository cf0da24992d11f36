import { ImportFileCommand } from '../import-file.command';

/** Un fichier de demandes d’avance : chaque ligne reçoit son numéro ASP. */
export class ImportAvanceCommand extends ImportFileCommand {}
