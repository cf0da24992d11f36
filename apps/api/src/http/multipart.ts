import { ProblemError } from './problem';

/**
 * Limits every multipart route shares besides its own file limits: a form's names, headers and
 * text fields are tiny in this API, and busboy would otherwise accept megabytes of them.
 */
export const MULTIPART_COMMON_LIMITS = {
  /** Longest field name: piece names (an import's parts are named by nomFichier) fit in it. */
  fieldNameSize: 300,
  /** Header lines of one part. */
  headerPairs: 20,
} as const;

/** A multer failure as the problem the caller gets: 413 for a limit, 400 for a malformed body. */
export const multerProblem = (e: unknown): ProblemError => {
  const code = (e as { code?: unknown }).code;
  if (code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_PART_COUNT')
    return new ProblemError(413, 'TROP_VOLUMINEUX', `requête multipart trop volumineuse (${String(code)})`);
  if (code === 'LIMIT_FIELD_VALUE' || code === 'LIMIT_FIELD_COUNT' || code === 'LIMIT_FIELD_KEY')
    return new ProblemError(413, 'TROP_VOLUMINEUX', 'champ de formulaire trop volumineux ou trop nombreux');
  if (code === 'LIMIT_UNEXPECTED_FILE')
    return new ProblemError(400, 'REQUETE_INVALIDE', 'partie fichier inattendue');
  return new ProblemError(400, 'REQUETE_INVALIDE', 'corps multipart illisible ou tronqué');
};
