import type { RecordedEvent, SqlExecutor } from '@segur/event-store';
import {
  deadlineOperationsOf,
  type CancelRound,
  type FireDeadline,
  type InsertDeadline,
} from './deadline-rules';
import { cancelledSet, firedSet } from './deadlines.schema';

// The deadlines projection's statements, for one event or a batch: the operations of
// deadline-rules.ts, set-based. Unlike the read models it never rewrites whole rows: the firer
// updates the same rows concurrently (attempts, lease), so every write stays an atomic statement
// of its own kind. Inserts go first (a round's request precedes anything else about it); then the
// updates run in layers: layer k holds the k-th update of each round in the batch, so one round's
// updates keep their order, and within a layer a "fire" and a "cancel" never touch the same round
// (they commute).

const INSERT = `INSERT INTO deadlines (job_id, numero_asp, version, kind, due_at, requested_event_id)
  SELECT job_id, numero_asp, version, kind, due_at, requested_event_id
    FROM json_populate_recordset(NULL::deadlines, $1::json) ON CONFLICT DO NOTHING`;
// Unconditional on status (see deadline-rules.ts), which is why it also clears cancelled_at.
const FIRE = `UPDATE deadlines d SET ${firedSet('u.at')}, cancelled_at = NULL
  FROM json_to_recordset($1::json) AS u(job_id text, at timestamptz) WHERE d.job_id = u.job_id`;
const CANCEL = `UPDATE deadlines d SET ${cancelledSet('u.at')}
  FROM json_to_recordset($1::json) AS u(numero_asp text, version text, at timestamptz)
  WHERE d.numero_asp = u.numero_asp AND d.version = u.version AND d.status = 'PENDING'`;

type Update = FireDeadline | CancelRound;

export const applyDeadlinesBatch = async (
  tx: SqlExecutor,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const inserts: InsertDeadline[] = [];
  const layers: Update[][] = [];
  const depth = new Map<string, number>();
  for (const event of events)
    for (const op of deadlineOperationsOf(event)) {
      if (op.op === 'insert') {
        inserts.push(op);
        continue;
      }
      const key = `${op.numero_asp}/${op.version}`;
      const k = depth.get(key) ?? 0;
      depth.set(key, k + 1);
      (layers[k] ??= []).push(op);
    }
  if (inserts.length > 0) await tx.query(INSERT, [JSON.stringify(inserts)]);
  for (const layer of layers) {
    const fires = layer.filter((u) => u.op === 'fire');
    const cancels = layer.filter((u) => u.op === 'cancel');
    if (fires.length > 0) await tx.query(FIRE, [JSON.stringify(fires)]);
    if (cancels.length > 0) await tx.query(CANCEL, [JSON.stringify(cancels)]);
  }
};
