import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { NO_TIMERS, buildProjections } from '@segur/worker';
import { loadConfig } from '@segur/platform';
import { openEngine } from '@segur/engine';
import { rebuildProjections } from '@segur/projections';

// The outbox keeps delivery state (retries, "accepted by SMTP" markers) that a replay would reset:
// it is rebuilt only when named explicitly.
const NOT_IN_ALL = new Set(['email-outbox']);

/**
 * `npm run cli -- rebuild <projection|all>`: builds into a shadow schema while the live tables
 * keep serving, then swaps. Interrupt it (Ctrl-C) at any time: the next run resumes.
 */
export const registerRebuildCommand = (program: Command): void => {
  program
    .command('rebuild')
    .description('Reconstruit une projection (ou toutes) depuis les événements, sans interrompre la lecture')
    .argument('<projection>', 'suivi | versions | lists | reporting | deadlines | email-outbox | all')
    .option('--fresh', 'repartir de zéro au lieu de reprendre une reconstruction interrompue')
    .option('--batch-size <n>', 'événements lus par page', '5000')
    .action(async (name: string, opts: { fresh?: boolean; batchSize: string }) => {
      const config = loadConfig();
      const infra = await openEngine(config);
      const controller = new AbortController();
      process.once('SIGINT', () => {
        process.stderr.write('\nInterruption : la reconstruction reprendra au prochain lancement.\n');
        controller.abort();
      });
      try {
        const all = buildProjections(config, { scheduler: NO_TIMERS, logger: infra.logger });
        const chosen =
          name === 'all' ? all.filter((p) => !NOT_IN_ALL.has(p.name)) : all.filter((p) => p.name === name);
        if (chosen.length === 0) {
          process.stderr.write(
            `Projection inconnue « ${name} » : ${all.map((p) => p.name).join(', ')}, all\n`,
          );
          process.exitCode = 2;
          return;
        }
        // One read of the store for every chosen projection (rebuildProjections), then each swap.
        const bar = new SingleBar(
          {
            format: `${name.padEnd(13)} [{bar}] {events} événements  {phase}`,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        bar.start(1, 0, { events: 0, phase: 'démarrage' });
        const started = Date.now();
        const results = await rebuildProjections(infra.sql, infra.store, chosen, {
          batchSize: Number(opts.batchSize),
          signal: controller.signal,
          ...(opts.fresh ? { fresh: true } : {}),
          onProgress: (p) => {
            bar.setTotal(Math.max(p.events, 1));
            bar.update(p.events, {
              events: p.events,
              phase: p.projection ? `${p.phase} ${p.projection}` : p.phase,
            });
          },
        });
        const swapped = results.every((r) => r.swapped);
        bar.update(bar.getTotal(), { phase: swapped ? 'basculée' : 'interrompue' });
        bar.stop();
        const secs = (Date.now() - started) / 1000;
        for (const r of results)
          process.stdout.write(
            `${r.projection} : ${r.events} événements en ${secs.toFixed(1)} s` +
              `${r.resumed ? ' (reprise)' : ''}${r.swapped ? ', tables basculées' : ', interrompue'}\n`,
          );
        if (!swapped) process.exitCode = 130;
      } finally {
        await infra.close();
      }
    });
};
