import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import { deadlineJobId } from './deadline';

// The deadlines projection's batched form. Unlike the read models it never rewrites whole rows:
// the firer updates the same rows concurrently (attempts, lease), so every write stays the same
// atomic statement as the single-event one, only set-based. Inserts go first (a round's request
// precedes anything else about it); then the updates run in layers: layer k holds the k-th update
// of each round in the batch, so one round's updates keep their order, and within a layer a
// "fired" and a "cancelled" never touch the same round (they commute).

interface Insert {
  job_id: string;
  numero_asp: string;
  version: string;
  kind: 'REMINDER' | 'EXPIRY';
  due_at: string;
  requested_event_id: string;
}
type Update =
  | { op: 'fire'; job_id: string; at: string }
  | { op: 'cancel'; numero_asp: string; version: string; at: string };

const INSERT = `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
  SELECT job_id, numero_asp, version, kind, due_at, requested_event_id
    FROM json_populate_recordset(NULL::deadlines, $1::json) ON CONFLICT DO NOTHING`;
const FIRE = `UPDATE deadlines d SET status = 'FIRED', fired_at = COALESCE(d.fired_at, u.at), cancelled_at = NULL, not_before = NULL
  FROM json_to_recordset($1::json) AS u(job_id text, at timestamptz) WHERE d.job_id = u.job_id`;
const CANCEL = `UPDATE deadlines d SET status = 'CANCELLED', cancelled_at = u.at, not_before = NULL
  FROM json_to_recordset($1::json) AS u(numero_asp text, version text, at timestamptz)
  WHERE d.numero_asp = u.numero_asp AND d.version = u.version AND d.status = 'PENDING'`;

interface RoundData {
  numeroAsp: string;
  version: string;
}

export const applyDeadlinesBatch = async (
  tx: SqlExecutor,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const inserts: Insert[] = [];
  const layers: Update[][] = [];
  const depth = new Map<string, number>();
  const push = (d: RoundData, update: Update): void => {
    const key = `${d.numeroAsp}/${d.version}`;
    const k = depth.get(key) ?? 0;
    depth.set(key, k + 1);
    (layers[k] ??= []).push(update);
  };
  for (const event of events) {
    const d = event.data as RoundData & Record<string, string>;
    switch (event.type) {
      case 'ModificationRequested':
        for (const [kind, dueAt] of [
          ['REMINDER', d.reminderDueAt],
          ['EXPIRY', d.expiresAt],
        ] as const)
          inserts.push({
            job_id: deadlineJobId(kind, d.numeroAsp, d.version),
            numero_asp: d.numeroAsp,
            version: d.version,
            kind,
            due_at: dueAt as string,
            requested_event_id: event.id,
          });
        break;
      case 'ModificationSubmitted':
      case 'ModificationDeclined':
        push(d, {
          op: 'cancel',
          numero_asp: d.numeroAsp,
          version: d.version,
          at: (d.submittedAt ?? d.declinedAt)!,
        });
        break;
      case 'ModificationExpired':
        push(d, { op: 'fire', job_id: deadlineJobId('EXPIRY', d.numeroAsp, d.version), at: d.expiredAt! });
        // The round is closed: a reminder not yet sent must never go out after the expiry.
        push(d, { op: 'cancel', numero_asp: d.numeroAsp, version: d.version, at: d.expiredAt! });
        break;
      case 'ModificationReminderSent':
        push(d, { op: 'fire', job_id: deadlineJobId('REMINDER', d.numeroAsp, d.version), at: d.sentAt! });
        break;
      default:
        break;
    }
  }
  if (inserts.length > 0) await tx.query(INSERT, [JSON.stringify(inserts)]);
  for (const layer of layers) {
    const fires = layer.filter((u) => u.op === 'fire');
    const cancels = layer.filter((u) => u.op === 'cancel');
    if (fires.length > 0) await tx.query(FIRE, [JSON.stringify(fires)]);
    if (cancels.length > 0) await tx.query(CANCEL, [JSON.stringify(cancels)]);
  }
};
