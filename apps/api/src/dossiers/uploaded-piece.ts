import { createHash } from 'node:crypto';
import { isPdf } from '@segur/import-format';
import { ProblemError } from '../http/problem';

export interface UploadedPiece {
  buffer: Buffer;
  nomFichier: string;
  taille: number;
  sha256: string;
}

/**
 * What the HTTP layer checks of an uploaded piece before the decider sees it (present, within the
 * size limit, really a PDF). The JSON route and the web page's form both call it, so a file refused
 * by one is refused by the other, with the same code and words.
 */
export const uploadedPiece = (file: Express.Multer.File | undefined, pieceBytes: number): UploadedPiece => {
  if (!file) throw new ProblemError(400, 'REQUETE_INVALIDE', 'Partie « file » (PDF) manquante');
  if (file.size > pieceBytes) throw new ProblemError(413, 'TROP_VOLUMINEUX', 'Pièce trop volumineuse');
  if (!isPdf(file.buffer))
    throw new ProblemError(
      415,
      'TYPE_NON_SUPPORTE',
      'Les pièces justificatives doivent être des fichiers PDF',
    );
  return {
    buffer: file.buffer,
    nomFichier: file.originalname,
    taille: file.size,
    sha256: createHash('sha256').update(file.buffer).digest('hex'),
  };
};
