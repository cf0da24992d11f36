import { foldEvents, type PrefetchedState, type PrefetchedStates } from '@segur/commands';
import { dossierStreamId, type DossierDecider } from '@segur/domain';
import type { EventStore, JoinsTransactions, SqlClient } from '@segur/event-store';
import { Nudge, errorMessage, silentLogger, type Logger } from '@segur/kernel';

export interface DeadlinePrefetchOptions {
  sql: SqlClient;
  store: EventStore & JoinsTransactions;
  decider: DossierDecider;
  /** Deadlines falling due within this window are read and folded ahead. */
  lookaheadMs?: number;
  /** Most states held (each a few kB): beyond it the deadlines are read at firing time, as before. */
  maxEntries?: number;
  /** Between two passes over the table. */
  intervalMs?: number;
  /** Deadline rows per page, and streams per read: short reads that never hold the (PGlite) session long. */
  pageSize?: number;
  /** Every this many passes the whole window is scanned again, not only what entered it since. */
  fullScanEvery?: number;
  logger?: Logger;
}

export interface DeadlinePrefetchStats {
  passes: number;
  streamsRead: number;
  /** Wall time of the passes that read something, and the synchronous fold part of it. */
  readingMs: number;
  foldMs: number;
  /** Process CPU (user + system) while those passes ran: an upper bound of their own cost. */
  processCpuMs: number;
  entries: number;
  hits: number;
  stale: number;
}

interface Entry extends PrefetchedState {
  /** Dropped after this instant (epoch ms): its deadline's due time plus the lookahead. */
  until: number;
}

interface DueRow {
  numero_asp: string;
  job_id: string;
  /** Epoch microseconds (int8 text): exact, so that the page cursor never repeats nor skips a row. */
  due_us: string;
}

const AT_US = (param: string): string => `(timestamptz 'epoch' + ${param}::int8 * interval '1 microsecond')`;
// Deadlines not yet due (due ones are being fired: reading them here would only duplicate the
// firing's read), in due order, paged by (due_at, job_id).
const UPCOMING = `
SELECT numero_asp, job_id, (extract(epoch FROM due_at) * 1000000)::int8 AS due_us
  FROM deadlines
 WHERE status = 'PENDING' AND due_at > now() AND due_at <= now() + $1::integer * interval '1 millisecond'
   AND due_at >= ${AT_US('$2')} AND (due_at, job_id) > (${AT_US('$2')}, $3::text)
 ORDER BY due_at, job_id
 LIMIT $4`;

/**
 * Reads and folds, ahead of their due time, the dossiers whose deadlines fall due within the
 * lookahead, so that a burst of due deadlines (100,000 rounds opened by one import fall due in the
 * same second ten days later) does not spend its firing time receiving and folding the streams.
 *
 * An entry is only a hint: the firer uses it when, inside its claim's transaction, the stream is
 * still at the entry's version (one index step per stream, no data), and appends with that version
 * expected; a stream that moved since (a modification submitted, a gestionnaire's decision) is read
 * as without prefetch. A stale entry costs a read, never a different decision: at the same version
 * the stream holds the same events, so the fold is the same.
 *
 * Rows entering the window between two passes with a due time earlier than the last pass's horizon
 * (written less than the lookahead before falling due: rare, J+10 is written ten days ahead) are
 * found by the next full scan, or simply read at firing time.
 */
export class DeadlinePrefetch implements PrefetchedStates {
  private readonly entries = new Map<string, Entry>();
  private readonly lookaheadMs: number;
  private readonly maxEntries: number;
  private readonly intervalMs: number;
  private readonly pageSize: number;
  private readonly fullScanEvery: number;
  private readonly logger: Logger;
  /** Due instant (epoch µs, database clock) up to which the window was scanned. */
  private horizon = 0;
  private running = false;
  private abort = new AbortController();
  private readonly nudge = new Nudge();
  private loop: Promise<void> | null = null;
  readonly stats: DeadlinePrefetchStats = {
    passes: 0,
    streamsRead: 0,
    readingMs: 0,
    foldMs: 0,
    processCpuMs: 0,
    entries: 0,
    hits: 0,
    stale: 0,
  };

  constructor(private readonly o: DeadlinePrefetchOptions) {
    this.lookaheadMs = o.lookaheadMs ?? 60_000;
    this.maxEntries = o.maxEntries ?? 100_000;
    this.intervalMs = o.intervalMs ?? 5_000;
    this.pageSize = o.pageSize ?? 500;
    this.fullScanEvery = Math.max(1, o.fullScanEvery ?? 12);
    this.logger = o.logger ?? silentLogger;
  }

  get size(): number {
    return this.entries.size;
  }

  get(streamId: string): PrefetchedState | undefined {
    return this.entries.get(streamId);
  }

  forget(streamIds: Iterable<string>): void {
    for (const id of streamIds) this.entries.delete(id);
  }

  used(hits: number, stale: number): void {
    this.stats.hits += hits;
    this.stats.stale += stale;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    await this.loop;
    this.loop = null;
    this.entries.clear();
  }

  /** A pass now (new deadlines written): scans the whole window again. */
  wake(): void {
    this.horizon = 0;
    this.nudge.notify();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.pass();
      } catch (e) {
        // Only an optimisation: the firer reads what is not here.
        this.logger.warn({ err: errorMessage(e) }, 'préchargement des échéances en échec');
      }
      if (this.running) await this.nudge.wait(this.intervalMs, this.abort.signal);
    }
  }

  /** One pass over the window: drops what expired, reads and folds what is not held yet. */
  async pass(): Promise<void> {
    this.stats.passes += 1;
    const now = Date.now();
    for (const [id, e] of this.entries) if (e.until < now) this.entries.delete(id);
    if (this.stats.passes % this.fullScanEvery === 1 || this.fullScanEvery === 1) this.horizon = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let read = 0;
    let cursor = { us: this.horizon, jobId: '' };
    let complete = false;
    while (!this.abort.signal.aborted) {
      const page = (
        await this.o.sql.query<DueRow>(UPCOMING, [this.lookaheadMs, cursor.us, cursor.jobId, this.pageSize])
      ).rows;
      const last = page.at(-1);
      if (!last) {
        complete = true;
        break;
      }
      cursor = { us: Number(last.due_us), jobId: last.job_id };
      const until = new Map<string, number>();
      for (const row of page) {
        const id = dossierStreamId(row.numero_asp);
        const due = Number(row.due_us) / 1000 + this.lookaheadMs;
        const held = this.entries.get(id);
        if (held) held.until = Math.max(held.until, due);
        else until.set(id, Math.max(until.get(id) ?? 0, due));
      }
      const room = this.maxEntries - this.entries.size;
      if (room <= 0) break;
      const ids = [...until.keys()].slice(0, room);
      if (ids.length > 0) {
        // Outside any transaction, on the pool: a short read of its own.
        const streams = await this.o.store.joinTransaction(this.o.sql).readStreamsToDecide(ids);
        const f0 = performance.now();
        for (const [id, s] of streams) {
          const state = foldEvents(this.o.decider, s.events);
          this.entries.set(id, { version: s.version, state, until: until.get(id) as number });
        }
        this.stats.foldMs += performance.now() - f0;
        read += streams.size;
      }
      // Let the firings in: the pages of a large window are spread over the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (page.length < this.pageSize) {
        complete = true;
        break;
      }
    }
    // Only a window read to its end moves the horizon: what the cap or a stop left out is looked at again.
    if (complete) this.horizon = Math.max(this.horizon, cursor.us);
    this.stats.entries = this.entries.size;
    if (read > 0) {
      const cpu = process.cpuUsage(cpu0);
      this.stats.streamsRead += read;
      this.stats.readingMs += performance.now() - t0;
      this.stats.processCpuMs += (cpu.user + cpu.system) / 1000;
      // Said only for a large window (a burst ahead); the steady trickle stays in `stats`.
      if (read >= 1_000)
        this.logger.info(
          { streams: read, entries: this.entries.size, ms: Math.round(performance.now() - t0) },
          'échéances préchargées',
        );
    }
  }
}
