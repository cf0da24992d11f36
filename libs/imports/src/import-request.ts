import type { Principal } from '@segur/auth';
import type { ImportKind } from '@segur/import-format';
import type { ImportFileInput } from './import-file.reader';
import type { PieceSource } from './import-pieces';

/** What an import carries: the file, its pieces, who sends it and the request's correlation. */
export interface ImportFileData {
  file: ImportFileInput;
  pieces: PieceSource;
  principal: Principal;
  correlationId: string;
  /** Called after each chunk (and once at the start) with lines done / total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportRequest extends ImportFileData {
  kind: ImportKind;
}

export interface ImportTuning {
  /** Lines per chunk: one read of their dossiers, one appendMany, one command-log statement. */
  chunkSize: number;
  /** Decisions re-run on a stream that moved under the chunk (another import, a gestionnaire). */
  maxAttempts: number;
}

// 250 lines a chunk, four in flight: a chunk's data (read streams, events, their JSON, the
// statement's buffers) is what the import holds, and a quarter of a 1,000-line chunk stays in the
// young generation (see docs/performance.md, "import-solde"). Four appends, a read and their command
// logs stay well within the pool's 20 connections.
export const DEFAULT_IMPORT_TUNING: ImportTuning = { chunkSize: 250, maxAttempts: 4 };
