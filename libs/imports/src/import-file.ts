import { canSeeSiret, type Principal } from '@segur/auth';
import { type CommandPipeline, type LoadedBatch, type PlannedCommand, fastUuidV7 } from '@segur/commands';
import { NUMERO_ASP_SEQUENCE_MAX, type DossierCommand } from '@segur/domain';
import type { SqlClient } from '@segur/event-store';
import {
  childPath,
  summarizeStatus,
  validateImportFile,
  type AvanceLineData,
  type ImportHeader,
  type SoldeLineData,
} from '@segur/import-format';
import { Refusal, type Clock } from '@segur/kernel';
import type { AppConfig, BlobStore } from '@segur/platform';
import { numberAvanceLines } from './avance-numbering';
import { applyChunks } from './chunked-apply';
import { checkImportAccess } from './import-access';
import { readImportFile } from './import-file.reader';
import { rejectedLine, reportLineOf, sortLines, type ValidEntry } from './import-lines';
import { storeDeclaredPieces } from './import-pieces';
import { findImportReport, saveImportReport } from './import-report.repository';
import type { ImportReportView, ReportLine } from './import-report.types';
import { DEFAULT_IMPORT_TUNING, type ImportRequest, type ImportTuning } from './import-request';

export interface ImportFileDeps {
  config: AppConfig;
  sql: SqlClient;
  blobs: BlobStore;
  pipeline: CommandPipeline;
  clock: Clock;
}

/** Chunks whose appends may be in flight at once (each on its own connection). */
const MAX_APPENDS_IN_FLIGHT = 4;

/** A valid line on its way to the store: its report slot and its domain command. */
interface LineWork extends ValidEntry {
  numeroAsp: string;
  planned: PlannedCommand;
}

interface PreparedChunk {
  numeroAsps: string[];
  works: LineWork[];
  batch: LoadedBatch;
}

/**
 * The avance / solde import use case, shared by HTTP and the CLI (through the CommandBus), so both
 * apply the same rules and give the same report. Order: file readable → header valid → caller may
 * import for this SIRET → fournisseur enrolled → pieces stored → lines, in chunks through the
 * many-dossiers pipeline.
 */
export class ImportFile {
  constructor(
    private readonly deps: ImportFileDeps,
    private readonly tuning: ImportTuning = DEFAULT_IMPORT_TUNING,
  ) {}

  async run(request: ImportRequest): Promise<ImportReportView> {
    const { config, sql, clock } = this.deps;
    const receivedAt = clock.now().toISOString();
    const { value, fileSha256 } = readImportFile(request.file, config.limits.importBytes);
    const validation = validateImportFile(request.kind, value);
    if (!validation.ok)
      throw new Refusal(
        'invalid',
        validation.errors[0]?.code ?? 'CHAMP_INVALIDE',
        `en-tête du fichier invalide : ${validation.errors.map((e) => (e.path ? `${e.path} : ${e.message}` : e.message)).join(' ; ')}`,
        validation.errors.map((e) => ({ path: e.path, code: e.code, message: e.message })),
      );
    const { header } = validation;
    await checkImportAccess(sql, request.principal, header);

    const declared = new Set<string>();
    for (const l of validation.lines) if (l.ok) for (const p of l.declaredPieces) declared.add(p.nomFichier);
    const stored = await storeDeclaredPieces(
      declared,
      request.pieces,
      this.deps.blobs,
      config.limits.pieceBytes,
    );

    const importId = fastUuidV7();
    const { report, chunks, valid } = sortLines(validation.lines, stored, this.tuning.chunkSize);
    const total = report.length;
    let done = total - valid;
    request.onProgress?.(done, total);
    await applyChunks<ValidEntry[], PreparedChunk>(
      chunks,
      (chunk) => this.prepare(chunk, request, header, importId, report),
      async ({ works, batch }) => {
        const outcomes = await this.deps.pipeline.many.apply(batch, { maxAttempts: this.tuning.maxAttempts });
        works.forEach((w, i) => {
          report[w.reportIndex] = reportLineOf(w.line, w.numeroAsp, outcomes[i]!);
        });
        done += works.length;
        request.onProgress?.(done, total);
      },
      MAX_APPENDS_IN_FLIGHT,
    );

    const view: ImportReportView = {
      importId,
      kind: request.kind,
      fileSha256,
      receivedAt,
      status: summarizeStatus(report),
      lines: report,
    };
    await saveImportReport(sql, view, {
      siret: header.siret,
      numeroAns: header.numeroAns,
      submittedBy: request.principal.sub,
    });
    return view;
  }

  /** The report again, for its owner (a fournisseur of its SIRET) or the back office; else null. */
  async findReport(importId: string, principal: Principal): Promise<ImportReportView | null> {
    const found = await findImportReport(this.deps.sql, importId);
    if (found === null || !canSeeSiret(principal, found.siret)) return null;
    return found.report;
  }

  /** A chunk's domain commands, its dossiers read and folded (while the previous chunk is applied). */
  private async prepare(
    chunk: readonly ValidEntry[],
    request: ImportRequest,
    header: ImportHeader,
    importId: string,
    report: ReportLine[],
  ): Promise<PreparedChunk> {
    const works =
      request.kind === 'avance'
        ? await this.avanceWorks(chunk, request, header, importId, report)
        : this.soldeWorks(chunk, request, importId);
    const batch = await this.deps.pipeline.many.load(works.map((w) => w.planned));
    return { numeroAsps: works.map((w) => w.numeroAsp), works, batch };
  }

  /** One instant and one actor for a chunk's lines: they are decided and committed together. */
  private planned(
    request: ImportRequest,
    command: Omit<DossierCommand, 'actor' | 'at'>,
    at: string,
  ): PlannedCommand {
    return {
      command: {
        ...command,
        actor: { id: request.principal.sub, role: request.principal.role },
        at,
      } as DossierCommand,
      context: { commandId: fastUuidV7(), correlationId: request.correlationId, causationId: null },
    };
  }

  private soldeWorks(chunk: readonly ValidEntry[], request: ImportRequest, importId: string): LineWork[] {
    const at = this.deps.clock.now().toISOString();
    return chunk.map((entry) => {
      const data = entry.line.data as SoldeLineData;
      return {
        ...entry,
        numeroAsp: data.numeroAsp,
        planned: this.planned(
          request,
          { type: 'ImportSolde', data: { ...data, importId, pieces: entry.pieces } },
          at,
        ),
      };
    });
  }

  /** Lines that cannot be numbered get their report line here and no work. */
  private async avanceWorks(
    chunk: readonly ValidEntry[],
    request: ImportRequest,
    header: ImportHeader,
    importId: string,
    report: ReportLine[],
  ): Promise<LineWork[]> {
    if (this.deps.config.couloirs[header.couloir] === undefined) {
      for (const { reportIndex, line } of chunk)
        report[reportIndex] = rejectedLine(line.numLigne, null, [
          {
            path: 'numeroAns',
            code: 'COULOIR_INCONNU',
            message: `couloir inconnu : ${header.couloir} (numéro ANS ${header.numeroAns})`,
          },
        ]);
      return [];
    }
    const numeros = await numberAvanceLines(
      this.deps.sql,
      header,
      importId,
      chunk.map((c) => c.line.contentHash),
    );
    const at = this.deps.clock.now().toISOString();
    const works: LineWork[] = [];
    for (const entry of chunk) {
      const numeroAsp = numeros.get(entry.line.contentHash);
      if (numeroAsp === undefined) {
        report[entry.reportIndex] = rejectedLine(entry.line.numLigne, null, [
          {
            path: childPath('lignesImport', entry.line.index),
            code: 'NUMEROTATION_EPUISEE',
            message: `plus aucun numéro ASP disponible pour le couloir ${header.couloir} (${NUMERO_ASP_SEQUENCE_MAX} au plus)`,
          },
        ]);
        continue;
      }
      const data = { ...(entry.line.data as AvanceLineData), numeroAsp, importId, pieces: entry.pieces };
      works.push({ ...entry, numeroAsp, planned: this.planned(request, { type: 'ImportAvance', data }, at) });
    }
    return works;
  }
}
