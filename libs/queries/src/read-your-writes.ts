import { comparePositions, type SqlClient } from '@segur/event-store';
import { readCheckpoints } from '@segur/projections';
import { Refusal, sleep } from '@segur/kernel';

const CURSOR = /^[0-9A-Za-z:._-]{1,200}$/;

/**
 * `X-Min-Position`: a read waits (bounded) until the projections it reads have applied the
 * caller's last write. Reads checkpoints from the database, so it works whichever process runs
 * the projections (embedded, or N workers in server mode).
 */
export class ReadYourWrites {
  constructor(
    private readonly sql: SqlClient,
    private readonly timeoutMs = 5000,
    private readonly pollMs = 20,
  ) {}

  async waitFor(position: string | undefined, projections: readonly string[]): Promise<void> {
    if (position === undefined || position === '') return;
    if (!CURSOR.test(position))
      throw new Refusal('invalid', 'CURSEUR_INVALIDE', 'X-Min-Position : curseur invalide');
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const checkpoints = await readCheckpoints(this.sql, projections);
      if (projections.every((p) => comparePositions(checkpoints.get(p) ?? null, position) >= 0)) return;
      if (Date.now() >= deadline)
        throw new Refusal(
          'unavailable',
          'LECTURE_EN_RETARD',
          `Les vues n’ont pas encore intégré la position ${position} (délai de ${this.timeoutMs} ms dépassé), réessayez`,
          undefined,
          1,
        );
      await sleep(this.pollMs);
    }
  }
}
