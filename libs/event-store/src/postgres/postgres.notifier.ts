import type { SqlExecutor } from '../sql-client';

/**
 * Wakes subscribers (in every process) after appends commit, with at most one NOTIFY in flight.
 *
 * Why not NOTIFY inside the append transaction: PostgreSQL takes a database-wide lock at the commit
 * of any transaction that notified and holds it through the WAL flush, so notifying appenders commit
 * one at a time, which caps appends far below what they reach otherwise. A NOTIFY sent on its own
 * after the commit holds that lock only briefly (no xid, no flush), and coalescing means a busy
 * process sends at most one every `minIntervalMs` (a few ms of subscriber latency for far fewer
 * tiny transactions competing with appends). If the process dies between its commit and the NOTIFY,
 * subscribers still see the events at their next poll.
 */
export class PostgresNotifier {
  private inFlight = false;
  private again = false;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly channel: string,
    private readonly minIntervalMs = 10,
  ) {}

  /** Fire and forget: never delays or fails an append. */
  appended(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.send();
  }

  private async send(): Promise<void> {
    do {
      this.again = false;
      const sent = Date.now();
      await this.sql.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
      const wait = this.minIntervalMs - (Date.now() - sent);
      if (this.again && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    } while (this.again);
    this.inFlight = false;
  }
}
