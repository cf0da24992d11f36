import type { BreakKind, ChainBreak, RecordedEvent } from '@segur/event-store';
import { Refusal } from '@segur/kernel';
import type { QueryBus } from '@nestjs/cqrs';
import { AUDIT_UNAVAILABLE, VerifyDossierAuditQuery, type DossierAuditReport } from '@segur/queries';

/** The values of the badge's `data-integrite`: one per outcome of `VerifyDossierAuditQuery`. */
export type IntegriteState = 'integre' | 'rompue' | 'non-chainee' | 'non-disponible';

/** The event a break names, as the page shows it (type from the timeline: the break has none). */
export interface IntegriteEvent {
  id: string;
  streamVersion: number | null;
  type: string | null;
  position: string | null;
}

export type JournalIntegrite =
  | {
      state: 'integre';
      /** Events of the dossier recomputed. */
      events: number;
      /** Version and position of the last one. */
      streamVersion: number;
      position: string | null;
      checkpoint: { id: number; position: string | null; createdAt: string } | null;
    }
  | {
      state: 'rompue';
      kind: Exclude<BreakKind, 'non-chaine'>;
      /** Null when the break is in a checkpoint or names a version that no longer exists. */
      event: IntegriteEvent | null;
      /** In French: what differs at that link. */
      difference: string;
      expected: string | null;
      found: string | null;
      /** The verifier's own message, for the record. */
      detail: string;
    }
  | {
      state: 'non-chainee';
      event: IntegriteEvent | null;
      detail: string;
      /** The store cannot chain old events (EventStoreDB), in French; absent: `audit chain` does it. */
      cannotChain?: string;
    }
  | { state: 'non-disponible'; detail: string };

const DIFFERENCE: Readonly<Record<Exclude<BreakKind, 'non-chaine'>, string>> = {
  hash: 'Le contenu de cet événement a été modifié : son hash recalculé diffère du hash enregistré.',
  prevHash:
    'Le lien de cet événement vers le précédent a été modifié : son prevHash n’est pas le hash de l’événement précédent.',
  'version-manquante': 'Un événement a été supprimé : une version manque juste avant cet événement.',
  reordonnancement: 'L’ordre des événements du dossier a été modifié à cet endroit.',
  tronque:
    'Des événements ont été supprimés en fin de dossier : le point de contrôle signé atteste une version qui n’existe plus.',
  'point-de-controle':
    'La chaîne a été réécrite : le hash de cet événement diffère de celui qu’atteste le point de contrôle signé.',
  signature:
    'Un point de contrôle porte une signature invalide, ou une clé qui n’est pas la clé publiée du service.',
  racine:
    'Les têtes de flux enregistrées ne redonnent pas la racine signée, ou la chaîne des points de contrôle est rompue.',
};

const eventOf = (brk: ChainBreak, events: readonly RecordedEvent[]): IntegriteEvent | null => {
  if (brk.eventId === null) return null;
  const shown = events.find((e) => e.id === brk.eventId);
  return {
    id: brk.eventId,
    streamVersion: brk.streamVersion,
    type: shown?.type ?? null,
    position: brk.position,
  };
};

/**
 * The verification's report as the journal page shows it. `events`: the dossier's whole stream as
 * the page read it, only to name the broken event's type (the report carries its id and version).
 */
export const integriteOfReport = (
  report: DossierAuditReport,
  events: readonly RecordedEvent[],
): JournalIntegrite => {
  const brk = report.break;
  // The verifier sets `intact` exactly when there is no break: the break is what the page reads.
  if (brk === null)
    return {
      state: 'integre',
      events: report.events,
      streamVersion: report.events,
      position: report.position,
      checkpoint: report.checkpoint
        ? {
            id: report.checkpoint.id,
            position: report.checkpoint.position,
            createdAt: report.checkpoint.createdAt,
          }
        : null,
    };
  if (brk.kind === 'non-chaine')
    return {
      state: 'non-chainee',
      event: eventOf(brk, events),
      detail: brk.message,
      ...(report.cannotChain === undefined ? {} : { cannotChain: report.cannotChain }),
    };
  return {
    state: 'rompue',
    kind: brk.kind,
    event: eventOf(brk, events),
    difference: DIFFERENCE[brk.kind],
    expected: brk.expected,
    found: brk.found,
    detail: report.message,
  };
};

/** The store offers no audit trail (the query's refusal): the badge says so; anything else is not ours. */
export const integriteOfError = (error: unknown): JournalIntegrite | null =>
  error instanceof Refusal && error.code === AUDIT_UNAVAILABLE
    ? { state: 'non-disponible', detail: error.message }
    : null;

/**
 * The page's one read: the hash chain of the whole stream through the QueryBus, as the API's
 * `GET /dossiers/{n}/audit/verify` checks it (same handler, same trusted key).
 */
export const verifyIntegrite = async (
  queries: QueryBus,
  numeroAsp: string,
  events: readonly RecordedEvent[],
): Promise<JournalIntegrite> => {
  try {
    return integriteOfReport(await queries.execute(new VerifyDossierAuditQuery(numeroAsp)), events);
  } catch (e) {
    const unavailable = integriteOfError(e);
    if (unavailable) return unavailable;
    throw e;
  }
};
