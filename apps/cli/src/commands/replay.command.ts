import { createWriteStream, type WriteStream } from 'node:fs';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { createDossierDecider } from '@segur/domain';
import { loadConfig, readCouloirsFile } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { formatReplaySummary, replayCommands, replayWindowOf, type ReplayWindow } from '@segur/commands';
import { REPLAY_CSV_HEADER, replayCsvLine } from './replay-csv';

/**
 * `npm run cli -- replay --couloirs next-couloirs.json [--from d] [--to d] [--csv out.csv]`:
 * every recorded decision decided again under a candidate couloirs file, nothing written
 * (docs/replay.md). The summary goes to stdout, the progress bar to stderr (a terminal only).
 */
export const registerReplayCommand = (program: Command): void => {
  program
    .command('replay')
    .description(
      'Redécide chaque commande journalisée sous une autre configuration des couloirs, sans rien écrire, et liste les décisions qui changeraient',
    )
    .requiredOption(
      '--couloirs <fichier>',
      'configuration des couloirs à essayer (même format que COULOIRS_FILE)',
    )
    .option('--from <date>', 'commandes décidées à partir de (aaaa-mm-jj ou instant ISO-8601)')
    .option('--to <date>', "commandes décidées jusqu'à (aaaa-mm-jj inclus, ou instant exclu)")
    .option('--csv <fichier>', 'écrit les décisions qui diffèrent dans ce fichier CSV (;, UTF-8)')
    .option('--page-size <n>', 'dossiers lus par page', '500')
    .action(
      async (opts: { couloirs: string; from?: string; to?: string; csv?: string; pageSize: string }) => {
        const candidate = readCouloirsFile(opts.couloirs, '--couloirs');
        let window: ReplayWindow;
        try {
          window = replayWindowOf(opts.from, opts.to);
        } catch (e) {
          process.stderr.write(`${(e as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        const pageSize = Number(opts.pageSize);
        if (!Number.isInteger(pageSize) || pageSize < 1) {
          process.stderr.write('--page-size : entier positif attendu\n');
          process.exitCode = 2;
          return;
        }
        const infra = await openEngine(loadConfig());
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        let csv: WriteStream | null = null;
        const bar = process.stderr.isTTY
          ? new SingleBar(
              {
                format: 'replay [{bar}] {value}/{total} décisions  {percentage} %  reste {eta_formatted}',
                hideCursor: true,
                stream: process.stderr,
              },
              Presets.shades_classic,
            )
          : null;
        try {
          if (opts.csv) {
            csv = createWriteStream(opts.csv, { encoding: 'utf8' });
            csv.write(REPLAY_CSV_HEADER);
          }
          const out = csv;
          const started = Date.now();
          const summary = await replayCommands({
            sql: infra.sql,
            store: infra.store,
            decider: createDossierDecider(candidate),
            window,
            pageSize,
            signal: controller.signal,
            onProgress: (done, total) => {
              if (!bar) return;
              if (done === 0) bar.start(Math.max(total, 1), 0);
              else bar.update(done);
            },
            onResult: async (r) => {
              if (out === null || r.kind !== 'redecided') return;
              // Back-pressure: a store of millions of differing decisions streams to disk.
              if (!out.write(replayCsvLine(r)))
                await new Promise<void>((res) => out.once('drain', () => res()));
            },
          });
          bar?.stop();
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(formatReplaySummary(summary));
          process.stdout.write(
            `${summary.redecided} décisions redécidées en ${secs.toFixed(1)} s` +
              ` (${Math.round(summary.redecided / Math.max(secs, 0.001))} /s)` +
              `${controller.signal.aborted ? ', interrompu' : ''}\n`,
          );
          if (controller.signal.aborted) process.exitCode = 130;
        } finally {
          bar?.stop();
          if (csv) await new Promise<void>((res) => csv!.end(res));
          await infra.close();
        }
      },
    );
};
