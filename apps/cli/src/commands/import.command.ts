import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { Principal } from '@segur/auth';
import { fastUuidV7 } from '@segur/commands';
import { openEngine } from '@segur/engine';
import type { ImportKind } from '@segur/import-format';
import {
  EMPTY_PIECE_SOURCE,
  ImportAvanceCommand,
  ImportSoldeCommand,
  type ImportFileData,
  type ImportReportView,
  type PieceFile,
  type PieceSource,
} from '@segur/imports';
import { Refusal } from '@segur/kernel';
import { DataDirLockedError, loadConfig } from '@segur/platform';
import { withEngine } from '../engine-context';

/** The files a line declares, read from one directory; a name never leaves it. */
const directoryPieceSource = (dir: string): PieceSource => {
  let lowerNames: Promise<Map<string, string>> | null = null;
  const names = (): Promise<Map<string, string>> =>
    (lowerNames ??= readdir(dir).then((list) => new Map(list.map((n) => [n.toLowerCase(), n]))));
  const fileAt = async (path: string): Promise<PieceFile | null> => {
    const s = await stat(path).catch(() => null);
    return s?.isFile() ? { size: s.size, read: () => readFile(path) } : null;
  };
  return {
    async find(nomFichier) {
      if (basename(nomFichier) !== nomFichier || nomFichier.startsWith('.')) return null;
      const exact = await fileAt(join(dir, nomFichier));
      if (exact) return exact;
      const other = (await names()).get(nomFichier.toLowerCase());
      return other ? fileAt(join(dir, other)) : null;
    },
  };
};

const RESULT_LABELS: Record<string, string> = {
  applied: 'appliquées',
  unchanged: 'inchangées',
  rejected: 'rejetées',
  autoRejected: 'rejetées automatiquement',
};

const STATUS_LABELS: Record<string, string> = {
  accepted: 'accepté',
  partial: 'partiellement accepté',
  rejected: 'rejeté',
  duplicate: 'déjà importé (doublon)',
};

const MAX_ERRORS_SHOWN = 50;

const printReport = (report: ImportReportView): void => {
  const counts = new Table({ head: ['lignes', 'nombre'] });
  for (const [result, label] of Object.entries(RESULT_LABELS))
    counts.push([label, report.lines.filter((l) => l.result === result).length]);
  counts.push(['total', report.lines.length]);
  process.stdout.write(
    `Import ${report.importId} (${report.kind}) : ${STATUS_LABELS[report.status] ?? report.status}\n`,
  );
  process.stdout.write(`${counts.toString()}\n`);
  const errors = report.lines.flatMap((l) =>
    l.errors.map((e) => [l.numLigne ?? '', l.numeroASP ?? '', e.code, e.path, e.message]),
  );
  if (errors.length > 0) {
    const table = new Table({
      head: ['numLigne', 'numéro ASP', 'code', 'champ', 'message'],
      colWidths: [10, 16, 30, 40, 60],
      wordWrap: true,
    });
    for (const row of errors.slice(0, MAX_ERRORS_SHOWN)) table.push(row);
    process.stdout.write(`${table.toString()}\n`);
    if (errors.length > MAX_ERRORS_SHOWN)
      process.stdout.write(`… et ${errors.length - MAX_ERRORS_SHOWN} autres erreurs (voir --report)\n`);
  }
  const numeros = report.lines.filter((l) => l.numeroASP !== null && l.result === 'applied');
  if (report.kind === 'avance' && numeros.length > 0 && numeros.length <= MAX_ERRORS_SHOWN) {
    const table = new Table({ head: ['numLigne', 'numéro ASP attribué'] });
    for (const l of numeros) table.push([l.numLigne ?? '', l.numeroASP ?? '']);
    process.stdout.write(`${table.toString()}\n`);
  }
};

interface ImportOptions {
  pieces?: string;
  siret?: string;
  report?: string;
}

const run = async (kind: ImportKind, file: string, opts: ImportOptions): Promise<number> => {
  const config = loadConfig();
  const path = resolve(file);
  const size = (await stat(path)).size;
  if (size > config.limits.importBytes) {
    process.stderr.write(
      `Fichier trop volumineux : ${size} octets pour ${config.limits.importBytes} au plus (IMPORT_MAX_BYTES)\n`,
    );
    return 2;
  }
  let infra;
  try {
    infra = await openEngine(config);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    // Embedded mode: PGlite allows one process per DATA_DIR, and `npm start` is that process.
    process.stderr.write(`${e.message}\n${importViaApiHint(kind, file, opts)}\n`);
    return 2;
  }
  try {
    // Without --siret the CLI acts as assistance (any SIRET); with it, exactly as that supplier would.
    const principal: Principal = opts.siret
      ? { sub: 'cli', role: 'fournisseur', sirets: [opts.siret], numeroAns: null }
      : { sub: 'cli', role: 'assistance', sirets: [], numeroAns: null };
    const bar = new SingleBar(
      {
        format: 'Import {bar} {percentage}% | {value}/{total} lignes',
        hideCursor: true,
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    let started = false;
    const data: ImportFileData = {
      file: { bytes: await readFile(path) },
      pieces: opts.pieces ? directoryPieceSource(resolve(opts.pieces)) : EMPTY_PIECE_SOURCE,
      principal,
      correlationId: fastUuidV7(),
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, done);
          started = true;
        } else bar.update(done);
      },
    };
    const report = await withEngine(infra, ({ commands }) =>
      commands.execute<ImportAvanceCommand | ImportSoldeCommand, ImportReportView>(
        kind === 'avance' ? new ImportAvanceCommand(data) : new ImportSoldeCommand(data),
      ),
    ).finally(() => started && bar.stop());
    printReport(report);
    if (opts.report) await writeFile(opts.report, `${JSON.stringify(report, null, 2)}\n`);
    return report.status === 'accepted' || report.status === 'duplicate' ? 0 : 3;
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    process.stderr.write(`Fichier refusé (${e.code}) : ${e.message}\n`);
    for (const err of e.details ?? [])
      process.stderr.write(`  - ${err.path || '(fichier)'} [${err.code}] ${err.message}\n`);
    return 2;
  } finally {
    await infra.close();
  }
};

const importViaApiHint = (kind: ImportKind, file: string, opts: ImportOptions): string =>
  `Le serveur (npm start) tient ce dossier de données : importez par son API, par exemple\n` +
  `  curl -X POST http://localhost:3000/api/v1/imports/${kind} -H "Authorization: Bearer $(npm run -s token -- assistance)" ` +
  `-F file=@${file}${opts.pieces ? ' -F <nomFichier>=@<pièce>.pdf …' : ''}`;

/** `npm run cli -- import avance|solde <file> [--pieces dir] [--siret …]`: same rules and report as HTTP. */
export const registerImportCommand = (program: Command): void => {
  program
    .command('import')
    .description(
      'Importe un fichier JSON de demandes d’avance ou de solde (mêmes règles et rapport que l’API)',
    )
    .argument('<kind>', 'avance | solde')
    .argument('<file>', 'fichier JSON')
    .option('--pieces <dir>', 'dossier des pièces justificatives (PDF nommés par leur nomFichier)')
    .option('--siret <siret>', 'agir comme le fournisseur de ce SIRET (sinon : assistance)')
    .option('--report <file>', 'écrire le rapport complet (JSON de sortie) dans ce fichier')
    .action(async (kind: string, file: string, opts: ImportOptions) => {
      if (kind !== 'avance' && kind !== 'solde') {
        process.stderr.write(`Type d’import inconnu « ${kind} » : avance | solde\n`);
        process.exit(2);
      }
      process.exitCode = await run(kind, file, opts);
    });
};
