import { Counter, Histogram } from 'prom-client';
import { metricOnce } from '@segur/platform';

export const commandDuration = metricOnce(
  'segur_command_duration_seconds',
  () =>
    new Histogram({
      name: 'segur_command_duration_seconds',
      help: 'Durée de traitement des commandes (chargement, décision, ajout)',
      labelNames: ['type', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

/** The store's share of a command: one append (`one`), or one `appendMany` of a batch (`many`). */
export const appendDuration = metricOnce(
  'segur_event_store_append_duration_seconds',
  () =>
    new Histogram({
      name: 'segur_event_store_append_duration_seconds',
      help: 'Durée des ajouts réussis au store : un dossier (one) ou un lot (many)',
      labelNames: ['path'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
);

export const eventsAppended = metricOnce(
  'segur_events_appended_total',
  () =>
    new Counter({
      name: 'segur_events_appended_total',
      help: 'Événements ajoutés au store',
      labelNames: ['type'] as const,
    }),
);

export const commandsHandled = metricOnce(
  'segur_commands_total',
  () =>
    new Counter({
      name: 'segur_commands_total',
      help: 'Commandes traitées, une par dossier (HTTP, imports, échéances, courriels), par issue',
      labelNames: ['type', 'outcome'] as const,
    }),
);

export const commandLogFailures = metricOnce(
  'segur_command_log_failures_total',
  () =>
    new Counter({
      name: 'segur_command_log_failures_total',
      help: 'Écritures du journal des commandes en échec après un ajout réussi (événements écrits, entrées perdues)',
    }),
);

/** How many of each: a batch's thousands of events cost a label lookup per kind, not per item. */
const tally = (keys: Iterable<string>): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
};

/** Counts the events of one committed append, by type: every path appends through here. */
export const countAppended = (types: Iterable<string>): void => {
  for (const [type, n] of tally(types)) eventsAppended.inc({ type }, n);
};

/** Counts a batch's handled commands by type and outcome. */
export const countHandled = (handled: ReadonlyArray<{ type: string; outcome: string }>): void => {
  const outcomes = new Set(handled.map((h) => h.outcome));
  for (const outcome of outcomes)
    for (const [type, n] of tally(handled.filter((h) => h.outcome === outcome).map((h) => h.type)))
      commandsHandled.inc({ type, outcome }, n);
};
