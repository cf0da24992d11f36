import type { RecordedEvent } from '@segur/event-store';
import type { Clock, Logger } from '@segur/kernel';
import type { EventFailure } from '../quarantine/failure-tracker';

export interface ProjectionRunnerOptions {
  /** Most events applied in one transaction. */
  batchSize?: number;
  /**
   * How long a partial batch waits for more events before it commits (latency vs. fewer commits).
   * 0 (the default): a batch is what the subscription already holds, committed at once; under load
   * the events that arrive during one commit make the next batch, so batches still grow with the
   * rate without adding a wait to every event.
   */
  batchWindowMs?: number;
  /** How often a runner without the advisory lock tries again to take it. */
  lockRetryMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Passed to the store's subscription. */
  pollIntervalMs?: number;
  /**
   * Failed attempts of one event (failures of its own, not lost connections) before the projection
   * quarantines it and goes on (`PROJECTION_MAX_ATTEMPTS`).
   */
  maxAttempts?: number;
  /** Instants of the quarantine's failure times. */
  clock?: Clock;
  /** Called once per quarantined event, after its transaction committed (the metric). */
  onQuarantined?: (projection: string, event: RecordedEvent, failure: EventFailure) => void;
  logger?: Logger;
}

export type ProjectionRunState = 'stopped' | 'waiting-lock' | 'running' | 'backing-off';

export interface ProjectionStatus {
  name: string;
  state: ProjectionRunState;
  /** Position of the last event applied (read from the database: true whichever worker runs it). */
  checkpoint: string | null;
  head: string | null;
  /** Checkpoint at the store's head. Positions are opaque, so lag is "caught up or not" plus a time. */
  caughtUp: boolean;
  /** recordedAt of the last event this process applied; compare with now for a lag in time. */
  lastEventRecordedAt: string | null;
  lastCommitAt: string | null;
  eventsApplied: number;
  lastError: { message: string; at: string } | null;
  /** The event this projection is retrying (failures of its own), until applied or quarantined. */
  blockedOn: BlockedOn | null;
}

export interface BlockedOn {
  eventId: string;
  position: string;
  attempts: number;
}

export interface RuntimeState {
  state: ProjectionRunState;
  lastEventRecordedAt: string | null;
  lastCommitAt: string | null;
  eventsApplied: number;
  lastError: { message: string; at: string } | null;
  blockedOn: BlockedOn | null;
}
