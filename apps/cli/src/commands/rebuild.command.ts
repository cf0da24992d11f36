import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { NO_TIMERS, buildProjections, loadConfig, openInfrastructure } from '@segur/application';
import { rebuildProjection } from '@segur/projections';

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
    .option('--batch-size <n>', 'événements par transaction', '2000')
    .action(async (name: string, opts: { fresh?: boolean; batchSize: string }) => {
      const config = loadConfig();
      const infra = await openInfrastructure(config);
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
        for (const projection of chosen) {
          const bar = new SingleBar(
            {
              format: `${projection.name.padEnd(13)} [{bar}] {events} événements  {phase}`,
              hideCursor: true,
            },
            Presets.shades_classic,
          );
          bar.start(1, 0, { events: 0, phase: 'démarrage' });
          const started = Date.now();
          const result = await rebuildProjection(infra.sql, infra.store, projection, {
            batchSize: Number(opts.batchSize),
            signal: controller.signal,
            ...(opts.fresh ? { fresh: true } : {}),
            onProgress: (p) => {
              bar.setTotal(Math.max(p.events, 1));
              bar.update(p.events, { events: p.events, phase: p.phase });
            },
          });
          bar.update(bar.getTotal(), { phase: result.swapped ? 'basculée' : 'interrompue' });
          bar.stop();
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(
            `${projection.name} : ${result.events} événements en ${secs.toFixed(1)} s` +
              `${result.resumed ? ' (reprise)' : ''}${result.swapped ? ', tables basculées' : ', interrompue'}\n`,
          );
          if (!result.swapped) {
            process.exitCode = 130;
            return;
          }
        }
      } finally {
        await infra.close();
      }
    });
};
