import type { DossierError, DossierEvent, DossierState } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';

/** What a one-dossier command answers once accepted (or found already done). */
export interface CommandOutcome {
  numeroAsp: string;
  streamVersion: number;
  /** Position of the last appended event; null when nothing was appended (idempotent no-op). */
  position: string | null;
  events: RecordedEvent[];
  state: DossierState;
}

/** What became of one command of a many-dossiers batch (an import line, a fired deadline). */
export type PlannedOutcome =
  | { kind: 'accepted'; events: readonly DossierEvent[]; streamVersion: number }
  | { kind: 'unchanged'; streamVersion: number }
  | { kind: 'refused'; error: DossierError; streamVersion: number }
  /** Its stream kept moving under the batch until the attempts ran out: nothing appended. */
  | { kind: 'conflict' };
