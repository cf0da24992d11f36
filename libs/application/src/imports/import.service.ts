import {
  dossierError,
  dossierStreamId,
  formatNumeroAsp,
  type DossierCommand,
  type DossierDecider,
  type DossierError,
  type DossierEvent,
  type DossierState,
  type PieceRef,
} from '@segur/domain';
import {
  joinsTransactions,
  type AppendManyItem,
  type EventStore,
  type SqlClient,
  type StreamToDecide,
} from '@segur/event-store';
import {
  childPath,
  summarizeStatus,
  validateImportFile,
  type AvanceLineData,
  type ImportHeader,
  type ImportKind,
  type LineResult,
  type SoldeLineData,
  type ValidLine,
} from '@segur/import';
import { getFournisseur } from '@segur/projections';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';
import { canSeeSiret } from '../auth/principal';
import type { CommandLogEntry } from '../commands/command-log';
import type { CommandContext, DossierCommandService } from '../commands/dossier-command.service';
import { ProblemError } from '../http/problem';
import type { BlobStore, StoredBlob } from '../pieces/blob-store';
import { findAvanceNumeros, recordAvanceNumeros } from './avance-lines.index';
import { fastUuidV7 } from '../commands/fast-uuid-v7';
import { recordCommandsInBulk } from './command-log.bulk';
import { readImportFile, type ImportFileInput } from './import-file.reader';
import { storeDeclaredPieces, type PieceSource } from './import-pieces';
import { findImportReport, saveImportReport } from './import-report.repository';
import type { ImportReportView, ReportLine, ReportLineError } from './import-report.types';
import { reserveNumeroAspSequence } from './numero-asp.counter';

export interface ImportServiceDeps {
  config: AppConfig;
  sql: SqlClient;
  store: EventStore;
  decider: DossierDecider;
  commands: DossierCommandService;
  blobs: BlobStore;
}

export interface ImportRequest {
  kind: ImportKind;
  file: ImportFileInput;
  pieces: PieceSource;
  principal: Principal;
  correlationId: string;
  /** Called after each chunk (and once at the start) with lines done / total. */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportTuning {
  /** Lines per transaction: one appendMany per chunk. */
  chunkSize: number;
  /** Decisions re-run on a stream that moved under the chunk (another import, a gestionnaire). */
  maxAttempts: number;
}

// 250 lines a chunk, four in flight (1,000 and two before): the same CPU and time for a 10,000-line
// file, but the server's peak RSS of the import bench fell from 247–300 MB to 194–234 MB, and the
// duplicate re-import's CPU by a sixth. A chunk's data (read streams, events, their JSON, the
// statement's buffers) is what the import holds; a quarter of it per chunk stays in the young
// generation and out of large-object pages. Four appends, a read and their command logs stay well
// within the pool's 20 connections.
export const DEFAULT_IMPORT_TUNING: ImportTuning = { chunkSize: 250, maxAttempts: 4 };

/** Chunks whose appends may be in flight at once (each on its own connection). */
const MAX_APPENDS_IN_FLIGHT = 4;

const SEQUENCE_MAX = 999_999;

type LineData = AvanceLineData | SoldeLineData;

/** A valid line on its way to the store. */
interface Work {
  reportIndex: number;
  line: ValidLine<LineData>;
  numeroAsp: string;
  command: DossierCommand;
  ctx: CommandContext;
  result?: ReportLine;
  logOutcome?: CommandLogEntry['outcome'];
  logErrorCode?: string | null;
  streamVersion?: number | null;
}

interface ValidatedFile {
  fileSha256: string;
  header: ImportHeader;
  lines: ReadonlyArray<LineResult<LineData>>;
}

/** A valid line whose declared pieces were all sent. */
interface ValidEntry {
  reportIndex: number;
  line: ValidLine<LineData>;
  pieces: PieceRef[];
}

interface StreamGroup {
  numeroAsp: string;
  state: DossierState;
  version: number;
  works: Work[];
}

const MISSING_PIECE = 'PIECE_FICHIER_MANQUANT';

const rejectedLine = (
  numLigne: number | null,
  numeroASP: string | null,
  errors: ReportLineError[],
): ReportLine => ({ numLigne, numeroASP, result: 'rejected', errors });

/** Domain paths are relative to the line, except the header's SIRET. */
const linePathOf = (index: number, e: DossierError): string => {
  const line = childPath('lignesImport', index);
  if (e.path === undefined || e.path === '') return line;
  if (e.path === 'siret' || e.path === 'numeroAns') return e.path;
  return `${line}.${e.path}`;
};

/**
 * The avance / solde import use case, shared by HTTP and the CLI so both apply the same rules and
 * give the same report. Order: file readable → header valid → caller may import for this SIRET →
 * fournisseur enrolled → pieces stored → lines, in chunks of one multi-stream append each.
 */
export class ImportService {
  constructor(
    private readonly deps: ImportServiceDeps,
    private readonly tuning: ImportTuning = DEFAULT_IMPORT_TUNING,
  ) {}

  async importFile(request: ImportRequest): Promise<ImportReportView> {
    const { config, sql } = this.deps;
    const receivedAt = new Date().toISOString();
    // Released once the lines are sorted into report and chunks (below), so that each chunk's
    // lines can be collected as soon as it is appended.
    let read: ValidatedFile | null = this.readAndValidate(request);
    const { fileSha256, header } = read;
    const { principal } = request;
    if (!canSeeSiret(principal, header.siret))
      throw new ProblemError(
        403,
        'ACCES_REFUSE',
        `le SIRET du fichier (${header.siret}) n'est pas celui de votre jeton`,
      );
    const fournisseur = await getFournisseur(sql, header.siret);
    if (fournisseur === null)
      throw new ProblemError(
        422,
        'FOURNISSEUR_INCONNU',
        `le fournisseur ${header.siret} n'est pas enrôlé : l'enrôlement (assistance) précède tout import`,
        [{ path: 'siret', code: 'FOURNISSEUR_INCONNU', message: 'fournisseur non enrôlé' }],
      );
    if (fournisseur.numeroAns !== header.numeroAns)
      throw new ProblemError(
        422,
        'NUMERO_ANS_DIFFERENT',
        `le numéro ANS du fichier (${header.numeroAns}) n'est pas celui de l'enrôlement du SIRET ${header.siret} (${fournisseur.numeroAns})`,
        [
          {
            path: 'numeroAns',
            code: 'NUMERO_ANS_DIFFERENT',
            message: "numéro ANS différent de l'enrôlement",
          },
        ],
      );

    const declared = new Set<string>();
    for (const l of read.lines) if (l.ok) for (const p of l.declaredPieces) declared.add(p.nomFichier);
    const stored = await storeDeclaredPieces(
      declared,
      request.pieces,
      this.deps.blobs,
      config.limits.pieceBytes,
    );

    const importId = fastUuidV7();
    const { report, chunks, valid: validCount } = this.sortLines(read.lines, stored);
    read = null;
    const total = report.length;
    let done = total - validCount;
    request.onProgress?.(done, total);
    // One instant and one actor for a chunk's commands: its lines are decided and committed together.
    const actor = { id: request.principal.sub, role: request.principal.role };
    const prepare = async (chunk: ValidEntry[]): Promise<StreamGroup[]> => {
      const works =
        request.kind === 'avance'
          ? await this.avanceWorks(chunk, header, importId, request, report)
          : this.soldeWorks(chunk, importId, request, actor);
      return this.loadGroups(works);
    };
    const logs: Promise<void>[] = [];
    const finish = (groups: StreamGroup[], chunkSize: number): void => {
      const works = groups.flatMap((g) => g.works);
      for (const w of works) report[w.reportIndex] = w.result as ReportLine;
      logs.push(
        recordCommandsInBulk(
          sql,
          works.map((w) => this.logEntryOf(w)),
        ).catch(() => undefined),
      );
      done += chunkSize;
      request.onProgress?.(done, total);
    };
    // The next chunk is numbered and read while this one is decided and appended: the reads are
    // most of the time of a solde chunk. A state read too early only costs a conflict and a retry.
    // Up to MAX_APPENDS_IN_FLIGHT chunks are appended at once (a chunk's CPU work overlaps the
    // previous one's round trip), except that a chunk quoting a dossier of a chunk still in flight
    // waits for it: the lines of one dossier apply in file order.
    let next = chunks[0] ? prepare(chunks[0]) : null;
    const inFlight: Array<{ streams: ReadonlySet<string>; applied: Promise<void> }> = [];
    try {
      for (let c = 0; c < chunks.length; c++) {
        const groups = await (next as Promise<StreamGroup[]>);
        const following = chunks[c + 1];
        next = following ? prepare(following) : null;
        // Keep the rejection handled even if this chunk throws before awaiting it.
        next?.catch(() => undefined);
        const streams = new Set(groups.map((g) => g.numeroAsp));
        while (
          inFlight.length >= MAX_APPENDS_IN_FLIGHT ||
          inFlight.some((f) => groups.some((g) => f.streams.has(g.numeroAsp)))
        )
          await (inFlight.shift() as (typeof inFlight)[number]).applied;
        const chunkSize = (chunks[c] as ValidEntry[]).length;
        // Nothing of an appended chunk is needed any more but its report lines and command log.
        chunks[c] = [];
        const applied = this.applyGroups(groups).then(() => finish(groups, chunkSize));
        applied.catch(() => undefined);
        inFlight.push({ streams, applied });
      }
      for (const f of inFlight.splice(0)) await f.applied;
    } finally {
      // On a failure, no append may still be running once the caller hears of it.
      await Promise.allSettled(inFlight.map((f) => f.applied));
    }
    await Promise.all(logs);

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
      submittedBy: principal.sub,
    });
    return view;
  }

  /** The file parsed and validated; the parsed JSON itself is dropped when this returns. */
  private readAndValidate(request: ImportRequest): ValidatedFile {
    const { value, fileSha256 } = readImportFile(request.file, this.deps.config.limits.jsonBodyBytes);
    const validation = validateImportFile(request.kind, value);
    if (!validation.ok) {
      const first = validation.errors[0];
      throw new ProblemError(
        400,
        first?.code ?? 'CHAMP_INVALIDE',
        `en-tête du fichier invalide : ${validation.errors.map((e) => (e.path ? `${e.path} : ${e.message}` : e.message)).join(' ; ')}`,
        validation.errors.map((e) => ({ path: e.path, code: e.code, message: e.message })),
      );
    }
    return { fileSha256, header: validation.header, lines: validation.lines };
  }

  /**
   * Report lines of the lines refused already (invalid, or a declared piece not sent) and the
   * others in chunks of `chunkSize`, in file order.
   */
  private sortLines(
    lines: ReadonlyArray<LineResult<LineData>>,
    stored: ReadonlyMap<string, StoredBlob>,
  ): { report: ReportLine[]; chunks: ValidEntry[][]; valid: number } {
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
      if (chunk.length === this.tuning.chunkSize) chunk = [];
    });
    return { report, chunks, valid };
  }

  /** The report again, for its owner (a fournisseur of its SIRET) or the back office; else null. */
  async findReport(importId: string, principal: Principal): Promise<ImportReportView | null> {
    const found = await findImportReport(this.deps.sql, importId);
    if (found === null || !canSeeSiret(principal, found.siret)) return null;
    return found.report;
  }

  private contextOf(request: ImportRequest): CommandContext {
    const commandId = fastUuidV7();
    return { commandId, correlationId: request.correlationId, causationId: null };
  }

  private soldeWorks(
    chunk: readonly ValidEntry[],
    importId: string,
    request: ImportRequest,
    actor: DossierCommand['actor'],
  ): Work[] {
    const at = new Date().toISOString();
    return chunk.map(({ reportIndex, line, pieces }) => {
      const data = line.data as SoldeLineData;
      return {
        reportIndex,
        line,
        numeroAsp: data.numeroAsp,
        command: { type: 'ImportSolde', data: { ...data, importId, pieces }, actor, at },
        ctx: this.contextOf(request),
      };
    });
  }

  /**
   * Numbers the chunk's avance lines: a content already numbered keeps its number (rule 8), a new
   * content takes the next numbers of the couloir's counter. Lines that cannot be numbered get
   * their report line here and no Work.
   */
  private async avanceWorks(
    chunk: readonly ValidEntry[],
    header: ImportHeader,
    importId: string,
    request: ImportRequest,
    report: ReportLine[],
  ): Promise<Work[]> {
    const { sql, config } = this.deps;
    if (config.couloirs[header.couloir] === undefined) {
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
    const hashes = [...new Set(chunk.map((c) => c.line.contentHash))];
    const numeros = await findAvanceNumeros(sql, header.siret, hashes);
    const fresh = hashes.filter((h) => !numeros.has(h));
    if (fresh.length > 0) {
      const first = await reserveNumeroAspSequence(sql, header.couloir, fresh.length);
      const assigned: Array<{ contentHash: string; numeroAsp: string }> = [];
      fresh.forEach((h, i) => {
        const sequence = first + i;
        if (sequence <= SEQUENCE_MAX)
          assigned.push({ contentHash: h, numeroAsp: formatNumeroAsp(header.couloir, sequence) });
      });
      const recorded = await recordAvanceNumeros(sql, header.siret, importId, assigned);
      for (const a of assigned) if (recorded.has(a.contentHash)) numeros.set(a.contentHash, a.numeroAsp);
      // Lost a race with a concurrent import of the same content: its number is the one.
      const raced = assigned.filter((a) => !recorded.has(a.contentHash)).map((a) => a.contentHash);
      for (const [h, n] of await findAvanceNumeros(sql, header.siret, raced)) numeros.set(h, n);
    }
    const works: Work[] = [];
    for (const { reportIndex, line, pieces } of chunk) {
      const numeroAsp = numeros.get(line.contentHash);
      if (numeroAsp === undefined) {
        report[reportIndex] = rejectedLine(line.numLigne, null, [
          {
            path: childPath('lignesImport', line.index),
            code: 'NUMEROTATION_EPUISEE',
            message: `plus aucun numéro ASP disponible pour le couloir ${header.couloir} (${SEQUENCE_MAX} au plus)`,
          },
        ]);
        continue;
      }
      works.push({
        reportIndex,
        line,
        numeroAsp,
        command: {
          type: 'ImportAvance',
          data: { ...(line.data as AvanceLineData), numeroAsp, importId, pieces },
          actor: { id: request.principal.sub, role: request.principal.role },
          at: new Date().toISOString(),
        },
        ctx: this.contextOf(request),
      });
    }
    return works;
  }

  /** The states of the chunk's dossiers, one group per stream (two lines may quote one dossier). */
  private async loadGroups(works: Work[]): Promise<StreamGroup[]> {
    const byStream = new Map<string, Work[]>();
    for (const w of works) {
      const list = byStream.get(w.numeroAsp);
      if (list) list.push(w);
      else byStream.set(w.numeroAsp, [w]);
    }
    return this.load([...byStream].map(([numeroAsp, ws]) => ({ numeroAsp, works: ws })));
  }

  private async load(groups: ReadonlyArray<{ numeroAsp: string; works: Work[] }>): Promise<StreamGroup[]> {
    const { decider } = this.deps;
    const streams = await this.readToDecide(groups.map((g) => dossierStreamId(g.numeroAsp)));
    return groups.map((g) => {
      const stream = streams.get(dossierStreamId(g.numeroAsp));
      let state = decider.initialState();
      // Type and data are all evolve reads: no { type, data } copy per event.
      for (const e of stream?.events ?? []) state = decider.evolve(state, e as DossierEvent);
      return { ...g, state, version: stream?.version ?? 0 };
    });
  }

  /**
   * The streams as a fold needs them. A store on this SQL database reads only type, data and
   * version (no metadata, positions nor dates decoded: about half of the read's CPU, and 20,000
   * events are read for a 10,000-line solde file); it offers that read on an executor it joins, and
   * one auto-committed SELECT on the pool is such an executor for a read. Others read whole events.
   */
  private async readToDecide(streamIds: readonly string[]): Promise<Map<string, StreamToDecide>> {
    const { store, sql } = this.deps;
    if (joinsTransactions(store)) return store.joinTransaction(sql).readStreamsToDecide(streamIds);
    const out = new Map<string, StreamToDecide>();
    for (const [id, events] of await store.readStreams(streamIds))
      out.set(id, { version: events.at(-1)?.streamVersion ?? 0, events });
    return out;
  }

  /** Decides and appends loaded groups: one appendMany per attempt, conflicted streams re-read and re-decided. */
  private async applyGroups(groups: StreamGroup[]): Promise<void> {
    const { commands, decider, store } = this.deps;
    let pending = groups;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const items: AppendManyItem[] = [];
      const appending: StreamGroup[] = [];
      for (const group of pending) {
        let state = group.state;
        const events: AppendManyItem['events'] = [];
        const last = group.works.at(-1);
        for (const w of group.works) {
          const decision = decider.decide(w.command, state);
          if (!decision.ok) {
            w.result = rejectedLine(w.line.numLigne, w.numeroAsp, [
              {
                path: linePathOf(w.line.index, decision.error),
                code: decision.error.code,
                message: decision.error.message,
              },
            ]);
            w.logOutcome = 'refused';
            w.logErrorCode = decision.error.code;
            w.streamVersion = group.version;
            continue;
          }
          if (decision.value.length === 0) {
            w.result = { numLigne: w.line.numLigne, numeroASP: w.numeroAsp, result: 'unchanged', errors: [] };
            w.logOutcome = 'unchanged';
            w.streamVersion = group.version;
            continue;
          }
          events.push(...commands.toNewEvents(decision.value, w.command, w.ctx));
          // Only a later line of the same dossier reads the new state (a conflict reloads the stream).
          if (w !== last) for (const e of decision.value) state = decider.evolve(state, e);
          w.result = this.acceptedLine(w, decision.value);
          w.logOutcome = 'accepted';
        }
        if (events.length > 0) {
          items.push({
            streamId: dossierStreamId(group.numeroAsp),
            events,
            expectedVersion: group.version === 0 ? 'no_stream' : group.version,
          });
          appending.push(group);
        }
      }
      if (items.length === 0) return;
      const results = await store.appendMany(items, { returnEvents: false });
      const conflicted: StreamGroup[] = [];
      results.forEach((r, i) => {
        const group = appending[i] as StreamGroup;
        if (r.ok) {
          for (const w of group.works) w.streamVersion ??= r.result.nextExpectedVersion;
          return;
        }
        conflicted.push(group);
      });
      if (conflicted.length === 0) return;
      if (attempt >= this.tuning.maxAttempts) {
        for (const group of conflicted)
          for (const w of group.works) {
            w.result = rejectedLine(w.line.numLigne, w.numeroAsp, [
              {
                path: childPath('lignesImport', w.line.index),
                code: 'CONFLIT_VERSION',
                message: `le dossier ${w.numeroAsp} a été modifié pendant l'import : renvoyez cette ligne`,
              },
            ]);
            w.logOutcome = 'conflict';
            w.logErrorCode = 'CONFLIT_VERSION';
          }
        return;
      }
      for (const g of conflicted)
        for (const w of g.works) {
          delete w.result;
          delete w.streamVersion;
        }
      pending = await this.load(conflicted);
    }
  }

  private acceptedLine(w: Work, events: DossierEvent[]): ReportLine {
    const auto = events.find((e) => e.type === 'SoldeAutoRejected');
    if (auto === undefined)
      return { numLigne: w.line.numLigne, numeroASP: w.numeroAsp, result: 'applied', errors: [] };
    const error = dossierError(auto.data.code, auto.data.motif, 'beneficiaire');
    return {
      numLigne: w.line.numLigne,
      numeroASP: w.numeroAsp,
      result: 'autoRejected',
      errors: [{ path: linePathOf(w.line.index, error), code: error.code, message: error.message }],
    };
  }

  private logEntryOf(w: Work): CommandLogEntry {
    return {
      id: w.ctx.commandId,
      type: w.command.type,
      streamId: dossierStreamId(w.numeroAsp),
      payload: w.command.data,
      actor: w.command.actor,
      correlationId: w.ctx.correlationId,
      outcome: w.logOutcome ?? 'refused',
      errorCode: w.logErrorCode ?? null,
      streamVersion: w.streamVersion ?? null,
    };
  }
}
