import type { EventStore, RecordedEvent, SqlClient } from '@segur/event-store';
import { errorMessage, systemClock, type Clock } from '@segur/kernel';
import type { Projection } from '../projection';
import { listQuarantine, quarantineEntry, type QuarantineEntry } from './quarantine.table';

export type RetryOutcome =
  /** The stream's quarantined and held events were applied, in order, and their rows removed. */
  | { id: string; outcome: 'applied'; projection: string; streamId: string; events: number }
  /** Applying failed again: nothing changed but the entry's attempts, time and error. */
  | { id: string; outcome: 'failed'; projection: string; streamId: string; error: string }
  /** Refused: unknown entry, the runner still retrying it, or a projection this process lacks. */
  | { id: string; outcome: 'refused'; code: RetryRefusalCode; reason: string };

export type RetryRefusalCode =
  'QUARANTAINE_INCONNUE' | 'QUARANTAINE_EN_COURS' | 'QUARANTAINE_PROJECTION_INCONNUE';

/** The held rows changed between the read of the stream and the lock: retry again. */
class StreamMovedError extends Error {
  constructor(eventId: string, streamId: string) {
    super(`L’événement ${eventId} est introuvable dans le flux ${streamId}`);
  }
}

const ORDER = `ORDER BY stream_version`;

/**
 * Re-applies a quarantined event to its projection, followed by the events of its stream held
 * behind it, in stream order, in one transaction that also removes their rows. The transaction
 * first locks the projection's checkpoint row, as every batch of the runner does, so a retry and
 * the live runner never interleave; the runner then applies that stream's next events normally.
 * Idempotent: the rows go in the same transaction as the writes, so a second retry of the same
 * entry finds nothing to do. Only `apply`/`applyBatch` run: the side effects after commit do not
 * (timers come back through the deadlines reconciler, emails through the outbox loop).
 */
export const retryQuarantined = async (
  sql: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  id: string,
  clock: Clock = systemClock,
): Promise<RetryOutcome> => {
  const entry = await quarantineEntry(sql, id);
  if (!entry)
    return {
      id,
      outcome: 'refused',
      code: 'QUARANTAINE_INCONNUE',
      reason: `Aucune entrée de quarantaine n° ${id} (déjà réessayée avec succès, ou jamais créée)`,
    };
  if (entry.status === 'failing')
    return {
      id,
      outcome: 'refused',
      code: 'QUARANTAINE_EN_COURS',
      reason: `L’événement ${entry.eventId} est encore réessayé par la projection ${entry.projection} (${entry.attempts} essais) : il n’est pas en quarantaine`,
    };
  const projection = projections.find((p) => p.name === entry.projection);
  if (!projection)
    return {
      id,
      outcome: 'refused',
      code: 'QUARANTAINE_PROJECTION_INCONNUE',
      reason: `Projection inconnue de ce processus : ${entry.projection}`,
    };

  const stream = await store.readStream(entry.streamId);
  const byId = new Map(stream.map((e) => [e.id, e]));
  for (let attempt = 1; ; attempt++) {
    try {
      const events = await sql.transaction(async (tx) => {
        await tx.query('SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [
          projection.name,
        ]);
        const rows = await tx.query<{ id: string; event_id: string }>(
          `SELECT id, event_id FROM projection_quarantine
            WHERE projection = $1 AND stream_id = $2 AND status IN ('quarantined', 'held') ${ORDER} FOR UPDATE`,
          [projection.name, entry.streamId],
        );
        const events: RecordedEvent[] = [];
        for (const row of rows.rows) {
          const event = byId.get(row.event_id);
          if (!event) throw new StreamMovedError(row.event_id, entry.streamId);
          events.push(event);
        }
        if (events.length === 0) return events;
        if (projection.applyBatch) await projection.applyBatch(tx, events);
        else for (const event of events) await projection.apply(tx, event);
        await tx.query('DELETE FROM projection_quarantine WHERE id = ANY($1::bigint[])', [
          rows.rows.map((r) => r.id),
        ]);
        return events;
      });
      if (events.length === 0)
        return {
          id,
          outcome: 'refused',
          code: 'QUARANTAINE_INCONNUE',
          reason: `L’entrée n° ${id} a déjà été réessayée`,
        };
      return {
        id,
        outcome: 'applied',
        projection: projection.name,
        streamId: entry.streamId,
        events: events.length,
      };
    } catch (e) {
      // An event held after the stream was read: read it again, once.
      if (e instanceof StreamMovedError && attempt === 1) {
        for (const event of await store.readStream(entry.streamId)) byId.set(event.id, event);
        continue;
      }
      const error = errorMessage(e);
      await sql.query(
        `UPDATE projection_quarantine SET attempts = attempts + 1, last_failure_at = $2, error = $3
          WHERE id = $1`,
        [firstQuarantined(entry), clock.now().toISOString(), error],
      );
      return { id, outcome: 'failed', projection: projection.name, streamId: entry.streamId, error };
    }
  }
};

/** The entry that blocks the stream: itself, or the quarantined one it is held behind. */
const firstQuarantined = (entry: QuarantineEntry): string => entry.blockedBy ?? entry.id;

/** Every quarantined stream, one retry each (its held events come along). */
export const retryAllQuarantined = async (
  sql: SqlClient,
  store: EventStore,
  projections: readonly Projection[],
  clock: Clock = systemClock,
): Promise<RetryOutcome[]> => {
  const entries = await listQuarantine(sql, { status: 'quarantined' });
  const seen = new Set<string>();
  const outcomes: RetryOutcome[] = [];
  for (const entry of entries) {
    const key = `${entry.projection}\u0000${entry.streamId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    outcomes.push(await retryQuarantined(sql, store, projections, entry.id, clock));
  }
  return outcomes;
};
