import type { DossierError, DossierEvent, PieceRef } from '@segur/domain';
import {
  childPath,
  type AvanceLineData,
  type LineResult,
  type SoldeLineData,
  type ValidLine,
} from '@segur/import-format';
import { fastUuidV7, type PlannedOutcome } from '@segur/commands';
import type { StoredBlob } from '@segur/platform';
import type { ReportLine, ReportLineError } from './import-report.types';

export type LineData = AvanceLineData | SoldeLineData;

/** A valid line whose declared pieces were all sent. */
export interface ValidEntry {
  reportIndex: number;
  line: ValidLine<LineData>;
  pieces: PieceRef[];
}

const MISSING_PIECE = 'PIECE_FICHIER_MANQUANT';

export const rejectedLine = (
  numLigne: number | null,
  numeroASP: string | null,
  errors: ReportLineError[],
): ReportLine => ({ numLigne, numeroASP, result: 'rejected', errors });

/** Domain paths are relative to the line, except the header's SIRET and numéro ANS. */
const linePathOf = (index: number, e: DossierError): string => {
  const line = childPath('lignesImport', index);
  if (e.path === undefined || e.path === '') return line;
  if (e.path === 'siret' || e.path === 'numeroAns') return e.path;
  return `${line}.${e.path}`;
};

/**
 * Report lines of the lines refused already (invalid, or a declared piece not sent) and the others
 * in chunks of `chunkSize`, in file order.
 */
export const sortLines = (
  lines: ReadonlyArray<LineResult<LineData>>,
  stored: ReadonlyMap<string, StoredBlob>,
  chunkSize: number,
): { report: ReportLine[]; chunks: ValidEntry[][]; valid: number } => {
  const report: ReportLine[] = new Array<ReportLine>(lines.length);
  const chunks: ValidEntry[][] = [];
  let chunk: ValidEntry[] = [];
  let valid = 0;
  lines.forEach((l, i) => {
    if (!l.ok) {
      report[i] = rejectedLine(l.numLigne, l.numeroASP, l.errors);
      return;
    }
    const missing: ReportLineError[] = [];
    const pieces: PieceRef[] = [];
    l.declaredPieces.forEach((p, j) => {
      const blob: StoredBlob | undefined = stored.get(p.nomFichier);
      if (blob === undefined)
        missing.push({
          path: `${childPath('lignesImport', l.index)}.piecesJustificatives[${j}].nomFichier`,
          code: MISSING_PIECE,
          message: `le fichier ${p.nomFichier} est déclaré mais n'a pas été envoyé avec l'import`,
        });
      else
        pieces.push({
          pieceId: fastUuidV7(),
          type: p.type,
          nomFichier: p.nomFichier,
          taille: blob.size,
          sha256: blob.sha256,
        });
    });
    if (missing.length > 0) {
      report[i] = rejectedLine(l.numLigne, l.numeroASP, missing);
      return;
    }
    if (chunk.length === 0) chunks.push(chunk);
    chunk.push({ reportIndex: i, line: l, pieces });
    valid++;
    if (chunk.length === chunkSize) chunk = [];
  });
  return { report, chunks, valid };
};

/** A solde accepted but rejected at once by the rules (beneficiary absent from the avance) says why. */
const acceptedLine = (
  line: ValidLine<LineData>,
  numeroAsp: string,
  events: readonly DossierEvent[],
): ReportLine => {
  const auto = events.find((e) => e.type === 'SoldeAutoRejected');
  if (auto === undefined)
    return { numLigne: line.numLigne, numeroASP: numeroAsp, result: 'applied', errors: [] };
  const error: DossierError = { code: auto.data.code, message: auto.data.motif, path: 'beneficiaire' };
  return {
    numLigne: line.numLigne,
    numeroASP: numeroAsp,
    result: 'autoRejected',
    errors: [{ path: linePathOf(line.index, error), code: error.code, message: error.message }],
  };
};

/** The report line of a line whose command the pipeline handled. */
export const reportLineOf = (
  line: ValidLine<LineData>,
  numeroAsp: string,
  outcome: PlannedOutcome,
): ReportLine => {
  switch (outcome.kind) {
    case 'accepted':
      return acceptedLine(line, numeroAsp, outcome.events);
    case 'unchanged':
      return { numLigne: line.numLigne, numeroASP: numeroAsp, result: 'unchanged', errors: [] };
    case 'refused':
      return rejectedLine(line.numLigne, numeroAsp, [
        {
          path: linePathOf(line.index, outcome.error),
          code: outcome.error.code,
          message: outcome.error.message,
        },
      ]);
    case 'conflict':
      return rejectedLine(line.numLigne, numeroAsp, [
        {
          path: childPath('lignesImport', line.index),
          code: 'CONFLIT_VERSION',
          message: `le dossier ${numeroAsp} a été modifié pendant l'import : renvoyez cette ligne`,
        },
      ]);
  }
};
