import { comparePositions, cursorOrigin, type CursorOrigin, type SqlClient } from '@segur/event-store';
import { blockingEntries, readCheckpoints, type QuarantineEntry } from '@segur/projections';
import { Refusal, sleep } from '@segur/kernel';

const CURSOR = /^[0-9A-Za-z:._-]{1,200}$/;

const describe = (e: QuarantineEntry): string =>
  `l’événement ${e.eventType} du flux ${e.streamId} (position ${e.position})`;

/** Why the projections are behind, in words for the caller: an event they keep failing on. */
const blockedDetail = (failing: readonly QuarantineEntry[]): string =>
  failing
    .map(
      (e) =>
        `la vue « ${e.projection} » est bloquée sur ${describe(e)} après ${e.attempts} essai(s) en échec (${e.error}) ; passé le nombre d’essais permis, il sera mis en quarantaine et signalé aux exploitants`,
    )
    .join(' ; ');

/**
 * What a position can be here: the store's own kind of cursor, at most the last one it issued. A
 * read asked to wait for anything else would only poll until its timeout and answer 503.
 */
export interface PositionBounds {
  origin: CursorOrigin;
  /** The newest position the store has handed out (committed, visible to readers or not yet). */
  issuedHead(): Promise<string | null>;
}

/**
 * `X-Min-Position`: a read waits (bounded) until the projections it reads have applied the
 * caller's last write. Reads checkpoints from the database, so it works whichever process runs
 * the projections (embedded, or N workers in server mode). A projection may also have gone past
 * the position without applying it (the event quarantined, or held behind one on its stream): that
 * read would miss the write, so it is refused too, and the 503 says which case it is.
 */
export class ReadYourWrites {
  constructor(
    private readonly sql: SqlClient,
    private readonly timeoutMs = 5000,
    private readonly pollMs = 20,
    private readonly bounds?: PositionBounds,
  ) {}

  async waitFor(position: string | undefined, projections: readonly string[]): Promise<void> {
    if (position === undefined || position === '') return;
    if (!CURSOR.test(position))
      throw new Refusal('invalid', 'CURSEUR_INVALIDE', 'X-Min-Position : curseur invalide');
    if (this.bounds) await this.refuseOutOfBounds(position, this.bounds);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const checkpoints = await readCheckpoints(this.sql, projections);
      const behind = projections.filter((p) => comparePositions(checkpoints.get(p) ?? null, position) < 0);
      if (behind.length === 0) return this.refuseIfQuarantined(position, projections);
      if (Date.now() >= deadline) {
        const failing = (await blockingEntries(this.sql, behind, position)).filter(
          (e) => e.status === 'failing',
        );
        throw new Refusal(
          'unavailable',
          failing.length > 0 ? 'VUE_BLOQUEE' : 'LECTURE_EN_RETARD',
          `Les vues n’ont pas encore intégré la position ${position} (délai de ${this.timeoutMs} ms dépassé)` +
            (failing.length > 0 ? ` : ${blockedDetail(failing)}` : ', réessayez'),
          undefined,
          1,
        );
      }
      await sleep(this.pollMs);
    }
  }

  private async refuseOutOfBounds(position: string, bounds: PositionBounds): Promise<void> {
    if (cursorOrigin(position) !== bounds.origin)
      throw new Refusal(
        'invalid',
        'CURSEUR_INVALIDE',
        'X-Min-Position : ce n’est pas une position de ce magasin d’événements (reprenez l’en-tête X-Position d’une écriture)',
      );
    if (comparePositions(await bounds.issuedHead(), position) < 0)
      throw new Refusal(
        'invalid',
        'POSITION_INCONNUE',
        'X-Min-Position : aucune écriture n’a encore atteint cette position (reprenez l’en-tête X-Position d’une écriture)',
      );
  }

  private async refuseIfQuarantined(position: string, projections: readonly string[]): Promise<void> {
    const parked = (await blockingEntries(this.sql, projections, position)).filter(
      (e) => e.position === position && e.status !== 'failing',
    );
    if (parked.length === 0) return;
    throw new Refusal(
      'unavailable',
      'EVENEMENT_EN_QUARANTAINE',
      `Les vues ont dépassé la position ${position} sans l’intégrer : ` +
        parked
          .map((e) =>
            e.status === 'quarantined'
              ? `dans la vue « ${e.projection} », ${describe(e)} est en quarantaine (${e.error})`
              : `dans la vue « ${e.projection} », ${describe(e)} attend derrière un événement en quarantaine du même dossier`,
          )
          .join(' ; ') +
        '. Les exploitants doivent le réessayer (commande « quarantine retry ») ; la lecture montrerait le dossier sans cette écriture',
    );
  }
}
