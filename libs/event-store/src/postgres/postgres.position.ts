import { ForeignCursorError, cursorOrigin } from '../foreign-cursor.error';

// A PostgreSQL position is the pair (transaction_id, global_position): events are read in that order
// (see postgres.event-store.ts for why). Both parts are written as 20-digit decimals (xid8 and int8
// fit in 20 digits), so plain string order of two positions is the order of their pairs: the port's
// promise that `a < b` is the global order.
const WIDTH = 20;
const PATTERN = /^(\d{20})-(\d{20})$/;

export interface PgPosition {
  /** xid8 as a decimal string. */
  transactionId: string;
  /** int8 as a decimal string. */
  globalPosition: string;
}

export const BEFORE_ALL: PgPosition = { transactionId: '0', globalPosition: '0' };

// String() because a process may have told `pg` to parse int8 as BigInt (Emmett's dumbo does so
// globally when loaded); positions must not depend on it.
export const encodePosition = (transactionId: string, globalPosition: string | bigint): string =>
  `${transactionId.padStart(WIDTH, '0')}-${String(globalPosition).padStart(WIDTH, '0')}`;

export const decodePosition = (position: string | null | undefined): PgPosition => {
  if (position === null || position === undefined) return BEFORE_ALL;
  const match = PATTERN.exec(position);
  if (!match?.[1] || !match[2]) {
    const origin = cursorOrigin(position);
    if (origin === 'eventstoredb' || origin === 'memory')
      throw new ForeignCursorError(position, 'postgres', origin);
    throw new RangeError(
      `Curseur PostgreSQL invalide : "${position}" (attendu "<xid>-<position>" sur 20 chiffres)`,
    );
  }
  return { transactionId: BigInt(match[1]).toString(), globalPosition: BigInt(match[2]).toString() };
};
