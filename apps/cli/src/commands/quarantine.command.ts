import type { Command } from 'commander';
import { loadConfig } from '@segur/platform';
import { openEngine } from '@segur/engine';
import type { QuarantineEntry, QuarantineStatus, RetryOutcome } from '@segur/projections';
import { ListQuarantineQuery, RetryQuarantinedCommand } from '@segur/worker';
import { withEngine } from '../engine-context';

const STATUSES: readonly QuarantineStatus[] = ['failing', 'quarantined', 'held'];

const LABELS: Record<QuarantineStatus, string> = {
  failing: 'en échec',
  quarantined: 'en quarantaine',
  held: 'retenu',
};

const line = (e: QuarantineEntry): string =>
  [
    `n° ${e.id}`,
    e.projection,
    LABELS[e.status],
    `${e.eventType} ${e.streamId} v${e.streamVersion}`,
    `position ${e.position}`,
    `événement ${e.eventId}`,
    `${e.attempts} essai(s)`,
    `du ${e.firstFailureAt} au ${e.lastFailureAt}`,
    e.error,
  ].join(' | ');

const outcomeLine = (o: RetryOutcome): string => {
  switch (o.outcome) {
    case 'applied':
      return `n° ${o.id} : réappliqué dans ${o.projection} (${o.streamId}, ${o.events} événement(s)), retiré de la quarantaine`;
    case 'failed':
      return `n° ${o.id} : échoue encore dans ${o.projection} (${o.streamId}) : ${o.error}`;
    case 'refused':
      return `n° ${o.id} : refusé (${o.code}) : ${o.reason}`;
  }
};

/**
 * `npm run cli -- quarantine list | retry <id> | retry --all`: the same buses as the API's
 * `/api/v1/admin/quarantine` routes. Exit code 1 when a retry did not apply.
 */
export const registerQuarantineCommand = (program: Command): void => {
  const quarantine = program
    .command('quarantine')
    .description('Événements qu’une projection n’a pas pu appliquer : les lister, les réessayer');

  quarantine
    .command('list')
    .description('Liste les événements en échec, en quarantaine ou retenus derrière eux')
    .option('--projection <nom>', 'une projection seulement')
    .option('--status <état>', STATUSES.join(' | '))
    .option('--json', 'sortie JSON')
    .action(async (opts: { projection?: string; status?: string; json?: boolean }) => {
      if (opts.status !== undefined && !STATUSES.includes(opts.status as QuarantineStatus)) {
        process.stderr.write(`État inconnu « ${opts.status} » : ${STATUSES.join(' | ')}\n`);
        process.exitCode = 2;
        return;
      }
      const infra = await openEngine(loadConfig());
      try {
        const { entries } = await withEngine(infra, ({ queries }) =>
          queries.execute(
            new ListQuarantineQuery({
              ...(opts.projection ? { projection: opts.projection } : {}),
              ...(opts.status ? { status: opts.status as QuarantineStatus } : {}),
            }),
          ),
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        else if (entries.length === 0) process.stdout.write('Aucun événement en quarantaine.\n');
        else for (const e of entries) process.stdout.write(`${line(e)}\n`);
      } finally {
        await infra.close();
      }
    });

  quarantine
    .command('retry')
    .description('Réapplique un événement en quarantaine (et ceux retenus derrière lui), ou tous avec --all')
    .argument('[id]', 'numéro de l’entrée (colonne « n° » de quarantine list)')
    .option('--all', 'chaque flux en quarantaine')
    .action(async (id: string | undefined, opts: { all?: boolean }) => {
      if ((id === undefined) === (opts.all !== true)) {
        process.stderr.write('Donnez un numéro d’entrée, ou --all (pas les deux)\n');
        process.exitCode = 2;
        return;
      }
      if (id !== undefined && !/^\d{1,18}$/.test(id)) {
        process.stderr.write(
          `Numéro d’entrée invalide « ${id} » : voir la colonne « n° » de quarantine list\n`,
        );
        process.exitCode = 2;
        return;
      }
      const infra = await openEngine(loadConfig());
      try {
        const { outcomes } = await withEngine(infra, ({ commands }) =>
          commands.execute(
            new RetryQuarantinedCommand(opts.all ? 'all' : id!, `cli:${process.env.USER ?? 'inconnu'}`),
          ),
        );
        if (outcomes.length === 0) process.stdout.write('Aucun événement en quarantaine.\n');
        for (const o of outcomes) process.stdout.write(`${outcomeLine(o)}\n`);
        if (outcomes.some((o) => o.outcome !== 'applied')) process.exitCode = 1;
      } finally {
        await infra.close();
      }
    });
};
