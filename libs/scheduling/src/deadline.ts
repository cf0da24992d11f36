export type DeadlineKind = 'REMINDER' | 'EXPIRY';
import { toIso, toIsoOrNull } from '@segur/kernel';

export type DeadlineStatus = 'PENDING' | 'FIRED' | 'CANCELLED';

/** What a timer needs to know; the `deadlines` row is the truth, this is a copy of its key facts. */
export interface Deadline {
  jobId: string;
  numeroAsp: string;
  /** `M1`, `M2`, … */
  version: string;
  kind: DeadlineKind;
  /** ISO instant. */
  dueAt: string;
}

export interface DeadlineRow extends Deadline {
  status: DeadlineStatus;
  firedAt: string | null;
  cancelledAt: string | null;
  attempts: number;
  lastError: string | null;
  /** Lease of a firer in progress, or the next retry after a failure. */
  notBefore: string | null;
}

// BullMQ refuses ':' in custom ids (a key separator): dashes only, and the id stays deterministic so
// re-adding the same deadline is deduplicated by Redis.
export const deadlineJobId = (kind: DeadlineKind, numeroAsp: string, version: string): string =>
  `${kind === 'REMINDER' ? 'reminder' : 'expiry'}-${numeroAsp}-${version}`;

/** The key columns of a `deadlines` row, as claims and scans read them. */
export interface DeadlineKeyRow {
  job_id: string;
  numero_asp: string;
  version: string;
  kind: DeadlineKind;
  /** timestamptz as the driver gives it, unless the statement read it as epoch ms (`due_ms`). */
  due_at?: unknown;
  due_ms?: string;
}

/** The deadline a row stands for, whichever way its due time was read. */
export const deadlineOf = (r: DeadlineKeyRow): Deadline => ({
  jobId: r.job_id,
  numeroAsp: r.numero_asp,
  version: r.version,
  kind: r.kind,
  dueAt: r.due_ms === undefined ? toIso(r.due_at as Date | string) : toIso(Number(r.due_ms)),
});

/** Maps a `SELECT * FROM deadlines` row; timestamptz comes back as Date from pg and PGlite. */
export const toDeadlineRow = (r: Record<string, unknown>): DeadlineRow => ({
  jobId: r.job_id as string,
  numeroAsp: r.numero_asp as string,
  version: r.version as string,
  kind: r.kind as DeadlineKind,
  dueAt: toIso(r.due_at as Date),
  status: r.status as DeadlineStatus,
  firedAt: toIsoOrNull(r.fired_at as Date | null),
  cancelledAt: toIsoOrNull(r.cancelled_at as Date | null),
  attempts: Number(r.attempts),
  lastError: (r.last_error as string | null) ?? null,
  notBefore: toIsoOrNull(r.not_before as Date | null),
});
