import { createHash } from 'node:crypto';
import { EMPTY_PIECE_SOURCE, pieceSourceOf, type ImportFileInput, type PieceSource } from '@segur/imports';
import { ProblemError } from '../http/problem';
import type { SegurRequest } from '../http/request-context';

export interface ImportBody {
  file: ImportFileInput;
  pieces: PieceSource;
  /**
   * What the Idempotency-Key compares: the file and every piece, by content. Computed only for a
   * request that carries a key (hashing a large file costs milliseconds for nothing otherwise).
   */
  fingerprint: () => unknown;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The file and pieces of an import request, JSON or multipart: the API's route and the web form share it. */
export const importBodyOf = (req: SegurRequest): ImportBody => {
  if (!req.is('multipart/form-data')) {
    return {
      file: { parsed: req.body as unknown },
      pieces: EMPTY_PIECE_SOURCE,
      fingerprint: () => req.body as unknown,
    };
  }
  const files = (req.files as Express.Multer.File[] | undefined) ?? [];
  const textFile = (req.body as Record<string, unknown> | undefined)?.file;
  const filePart = files.find((f) => f.fieldname === 'file');
  const bytes =
    filePart?.buffer ?? (typeof textFile === 'string' ? Buffer.from(textFile, 'utf8') : undefined);
  if (bytes === undefined)
    throw new ProblemError(400, 'REQUETE_INVALIDE', 'partie « file » (le fichier JSON) manquante', [
      { path: 'file', code: 'REQUETE_INVALIDE', message: 'partie obligatoire' },
    ]);
  const pieces = new Map<string, Uint8Array>();
  for (const f of files) {
    if (f.fieldname === 'file') continue;
    // The contract names a part by the piece's nomFichier; a client that can only send a fixed
    // field name ("pieces") is matched by the part's file name instead.
    pieces.set(f.fieldname === 'pieces' ? f.originalname : f.fieldname, f.buffer);
  }
  return {
    file: { bytes },
    pieces: pieceSourceOf(pieces),
    fingerprint: () => ({
      file: sha256(bytes),
      pieces: [...pieces].map(([n, b]) => [n, sha256(b)]).sort(),
    }),
  };
};
