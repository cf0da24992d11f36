import { isPdf } from '@segur/import-format';
import { Refusal, mapBounded } from '@segur/kernel';
import type { BlobStore, StoredBlob } from '@segur/platform';

/** A supporting document sent with an import; read only once it is known to be declared. */
export interface PieceFile {
  size: number;
  read(): Promise<Uint8Array>;
}

/** Where the files a file declares come from: multipart parts (HTTP) or a directory (CLI). */
export interface PieceSource {
  /** The file named so (exact name, then case-insensitive), null when it was not sent. */
  find(nomFichier: string): Promise<PieceFile | null>;
}

export const EMPTY_PIECE_SOURCE: PieceSource = { find: () => Promise.resolve(null) };

/** In-memory files by name (multipart parts). */
export const pieceSourceOf = (files: ReadonlyMap<string, Uint8Array>): PieceSource => {
  const lower = new Map<string, Uint8Array>();
  for (const [name, bytes] of files) if (!lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), bytes);
  return {
    find: (nomFichier) => {
      const bytes = files.get(nomFichier) ?? lower.get(nomFichier.toLowerCase());
      return Promise.resolve(bytes ? { size: bytes.byteLength, read: () => Promise.resolve(bytes) } : null);
    },
  };
};

/**
 * Checks and stores every declared file once, before any line is decided: a non-PDF or an
 * oversize file refuses the whole request, so a file is never half-applied because of its
 * twentieth piece. Returns what was stored, by name; a name absent from the map was not sent.
 */
export const storeDeclaredPieces = async (
  names: ReadonlySet<string>,
  source: PieceSource,
  blobs: BlobStore,
  maxBytes: number,
): Promise<Map<string, StoredBlob>> => {
  const stored = new Map<string, StoredBlob>();
  await mapBounded([...names], 4, async (name) => {
    const file = await source.find(name);
    if (file === null) return;
    if (file.size > maxBytes)
      throw new Refusal(
        'too-large',
        'TROP_VOLUMINEUX',
        `la pièce ${name} dépasse la taille maximale (${file.size} octets pour ${maxBytes} au plus)`,
        [{ path: name, code: 'TROP_VOLUMINEUX', message: `${maxBytes} octets au plus par pièce` }],
      );
    const bytes = await file.read();
    if (!isPdf(bytes))
      throw new Refusal(
        'unsupported',
        'TYPE_NON_SUPPORTE',
        `la pièce ${name} n'est pas un fichier PDF : les pièces justificatives doivent être des PDF`,
        [{ path: name, code: 'TYPE_NON_SUPPORTE', message: 'fichier PDF attendu' }],
      );
    stored.set(name, await blobs.put(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  });
  return stored;
};
