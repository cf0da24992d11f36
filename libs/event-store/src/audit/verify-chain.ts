import { GENESIS_HASH, eventDigest, linkHash } from './chain-hash';
import type { ChainEntry, StreamHead } from './audit-log.port';

/** What differs at the first broken link. */
export type BreakKind =
  | 'hash'
  | 'prevHash'
  | 'version-manquante'
  | 'reordonnancement'
  | 'non-chaine'
  | 'tronque'
  | 'point-de-controle'
  | 'signature'
  | 'racine';

export interface ChainBreak {
  kind: BreakKind;
  streamId: string | null;
  /** The event where the chain breaks (null: the break is in a checkpoint, not an event). */
  eventId: string | null;
  streamVersion: number | null;
  position: string | null;
  expected: string | null;
  found: string | null;
  /** The same in French, for people. */
  message: string;
}

const at = (e: ChainEntry): string =>
  `l'événement ${e.id} (${e.type}, flux ${e.streamId}, version ${e.streamVersion}, position ${e.position})`;

const breakAt = (
  kind: BreakKind,
  e: ChainEntry,
  message: string,
  expected: string | null = null,
  found: string | null = null,
): ChainBreak => ({
  kind,
  streamId: e.streamId,
  eventId: e.id,
  streamVersion: e.streamVersion,
  position: e.position,
  expected,
  found,
  message,
});

/** The version this entry was chained at when it is not the one it now has, else null. */
const chainedAtOtherVersion = (e: ChainEntry, digest: string, versions: number): number | null => {
  if (e.prevHash === null || e.hash === null) return null;
  for (let v = 1; v <= versions + 1; v++)
    if (v !== e.streamVersion && linkHash(e.prevHash, v, digest) === e.hash) return v;
  return null;
};

/**
 * The first broken link of one stream's chain (entries as stored, in stream-version order), or
 * null when every event's hash is recomputed from its content and its predecessor's hash.
 */
export const firstBreak = (entries: readonly ChainEntry[]): ChainBreak | null => {
  let prev = GENESIS_HASH;
  let lastPosition: string | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as ChainEntry;
    const version = i + 1;
    if (e.prevHash === null || e.hash === null)
      return breakAt('non-chaine', e, `${at(e)} n'est pas chaîné (lancez « audit chain »)`);
    const digest = eventDigest(e);
    // A link that fails may be an event moved from another version: named as such.
    const moved = (broken: ChainBreak): ChainBreak => {
      const from = chainedAtOtherVersion(e, digest, entries.length);
      return from === null
        ? broken
        : breakAt(
            'reordonnancement',
            e,
            `${at(e)} a été enregistré en version ${from} : l'ordre du flux a été modifié`,
            String(from),
            String(e.streamVersion),
          );
    };
    if (e.streamVersion !== version)
      return moved(
        breakAt(
          e.streamVersion > version ? 'version-manquante' : 'reordonnancement',
          e,
          e.streamVersion > version
            ? `version ${version} absente du flux ${e.streamId} : ${at(e)} la suit directement (événement supprimé)`
            : `${at(e)} est en double ou hors d'ordre (version ${version} attendue)`,
          String(version),
          String(e.streamVersion),
        ),
      );
    if (lastPosition !== null && e.position <= lastPosition)
      return breakAt(
        'reordonnancement',
        e,
        `${at(e)} précède dans le journal global l'événement de version ${version - 1} : ordre modifié`,
        `> ${lastPosition}`,
        e.position,
      );
    if (e.prevHash !== prev)
      return moved(
        breakAt(
          'prevHash',
          e,
          `${at(e)} : prevHash ne correspond pas au hash de l'événement précédent`,
          prev,
          e.prevHash,
        ),
      );
    const recomputed = linkHash(e.prevHash, e.streamVersion, digest);
    if (recomputed !== e.hash)
      return moved(
        breakAt(
          'hash',
          e,
          `${at(e)} : contenu modifié (hash recalculé différent du hash enregistré)`,
          recomputed,
          e.hash,
        ),
      );
    prev = e.hash;
    lastPosition = e.position;
  }
  return null;
};

/** The stream's head at a checkpoint is still there, unchanged: else its events were cut or rewritten. */
export const checkHead = (entries: readonly ChainEntry[], head: StreamHead): ChainBreak | null => {
  const e = entries[head.version - 1];
  if (!e)
    return {
      kind: 'tronque',
      streamId: head.streamId,
      eventId: null,
      streamVersion: head.version,
      position: null,
      expected: head.hash,
      found: null,
      message: `le point de contrôle signé atteste la version ${head.version} du flux ${head.streamId}, absente aujourd'hui (${entries.length} événements) : événements supprimés`,
    };
  if (e.hash !== head.hash)
    return breakAt(
      'point-de-controle',
      e,
      `${at(e)} : hash différent de celui attesté par le point de contrôle signé (chaîne réécrite)`,
      head.hash,
      e.hash,
    );
  return null;
};
