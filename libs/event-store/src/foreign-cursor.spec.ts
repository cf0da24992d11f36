import { ForeignCursorError, cursorOrigin } from './foreign-cursor.error';
import { InMemoryEventStore } from './memory/memory.event-store';
import { decodePosition as decodePg, encodePosition as encodePg } from './postgres/postgres.position';
import {
  decodePosition as decodeEsdb,
  encodePosition as encodeEsdb,
} from './eventstoredb/eventstoredb.position';

const PG = encodePg('742', '42');
const ESDB = encodeEsdb({ commit: 42n, prepare: 42n });

describe('cursors of one store are refused by the others', () => {
  it('tells the stores apart by the text alone', () => {
    expect(PG).toBe('00000000000000000742-00000000000000000042');
    expect(ESDB).toBe('esdb:00000000000000000042-00000000000000000042');
    expect([cursorOrigin(PG), cursorOrigin(ESDB), cursorOrigin('00000000000000000003')]).toEqual([
      'postgres',
      'eventstoredb',
      'memory',
    ]);
  });

  it('PostgreSQL keeps reading its stored checkpoints (no prefix, as before) and refuses an EventStoreDB cursor', () => {
    expect(decodePg(PG)).toEqual({ transactionId: '742', globalPosition: '42' });
    expect(() => decodePg(ESDB)).toThrow(ForeignCursorError);
    expect(() => decodePg(ESDB)).toThrow(/émis par un store EventStoreDB, refusé par le store PostgreSQL/);
  });

  it('EventStoreDB refuses a PostgreSQL cursor, saying what an unprefixed checkpoint may be', () => {
    expect(decodeEsdb(ESDB)).toEqual({ commit: 42n, prepare: 42n });
    expect(() => decodeEsdb(PG)).toThrow(ForeignCursorError);
    expect(() => decodeEsdb(PG)).toThrow(
      /émis par un store PostgreSQL, refusé par le store EventStoreDB.*esdb:/,
    );
  });

  it('a foreign cursor is still a RangeError (the feed answers 400 CURSEUR_INVALIDE)', () => {
    expect(() => decodeEsdb(PG)).toThrow(RangeError);
    expect(() => decodePg(ESDB)).toThrow(RangeError);
  });
});

describe('the memory store refuses both', () => {
  it('refuses a PostgreSQL and an EventStoreDB cursor', async () => {
    const memory = new InMemoryEventStore();
    await expect(memory.readAll({ after: ESDB, limit: 1 })).rejects.toBeInstanceOf(ForeignCursorError);
    await expect(memory.readAll({ after: PG, limit: 1 })).rejects.toBeInstanceOf(ForeignCursorError);
    await memory.close();
  });
});
