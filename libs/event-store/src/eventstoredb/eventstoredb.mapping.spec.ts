import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { WrongExpectedVersionError, type ExpectedVersion, type NewEvent } from '../event-store.port';
import {
  fromExpectedRevision,
  revisionFromVersion,
  toEventData,
  toExpectedRevision,
  toRecordedEvent,
  toWrongExpectedVersionError,
  versionFromRevision,
} from './eventstoredb.mapping';
import { encodePosition } from './eventstoredb.position';

const metadata = {
  actor: { id: 'gestionnaire-1', role: 'gestionnaire' },
  correlationId: 'corr-1',
  causationId: 'cause-1',
  commandId: 'cmd-1',
};

/** What the server hands back for what `toEventData` sent: the JSON payloads, parsed again. */
const asStored = (
  sent: ReturnType<typeof toEventData>,
  streamId: string,
  revision: bigint,
  position = { commit: 1234n, prepare: 1234n },
): EsdbRecordedEvent => ({
  streamId,
  id: sent.id,
  isJson: true,
  revision,
  type: sent.type,
  created: new Date('2026-03-01T10:00:00.000Z'),
  data: JSON.parse(JSON.stringify(sent.data)),
  metadata: JSON.parse(JSON.stringify(sent.metadata)),
  position,
});

describe('expected version ⇄ ESDB expected revision', () => {
  it.each<[ExpectedVersion, unknown]>([
    ['no_stream', NO_STREAM],
    ['any', ANY],
    ['stream_exists', STREAM_EXISTS],
    [0, NO_STREAM],
    [1, 0n],
    [2, 1n],
    [1_000_000, 999_999n],
  ])('%p → %p', (expected, revision) => {
    expect(toExpectedRevision(expected)).toBe(revision);
  });

  it.each<[unknown, ExpectedVersion]>([
    [NO_STREAM, 'no_stream'],
    [ANY, 'any'],
    [STREAM_EXISTS, 'stream_exists'],
    [0n, 1],
    [41n, 42],
  ])('%p ← %p', (revision, expected) => {
    expect(fromExpectedRevision(revision as never)).toBe(expected);
  });

  it('round-trips every positive version', () => {
    for (const version of [1, 2, 3, 10, 12_345, Number.MAX_SAFE_INTEGER]) {
      expect(fromExpectedRevision(toExpectedRevision(version))).toBe(version);
    }
  });

  it('refuses versions that are not whole and non-negative', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => toExpectedRevision(bad)).toThrow(RangeError);
    }
    expect(() => revisionFromVersion(0)).toThrow(RangeError);
  });

  it('reads a current revision as a 1-based stream version', () => {
    expect(versionFromRevision(NO_STREAM)).toBe(0);
    expect(versionFromRevision(-1n)).toBe(0); // what the client reports for a missing stream
    expect(versionFromRevision(0n)).toBe(1);
    expect(versionFromRevision(9n)).toBe(10);
    expect(revisionFromVersion(10)).toBe(9n);
  });
});

describe('event mapping', () => {
  const event: NewEvent = {
    id: '01900000-0000-7000-8000-000000000001',
    type: 'AvanceImported',
    schemaVersion: 2,
    data: { numeroAsp: 'FINSAS008539', montant: 1_234_56 },
    metadata,
  };

  it('writes a JSON event whose metadata carries the envelope beside ours', () => {
    const sent = toEventData(event, event.id!, '2026-03-01T09:59:59.000Z');
    expect(sent).toMatchObject({
      id: event.id,
      contentType: 'application/json',
      type: 'AvanceImported',
      data: event.data,
    });
    expect(sent.metadata).toEqual({
      ...metadata,
      schemaVersion: 2,
      recordedAt: '2026-03-01T09:59:59.000Z',
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
    });
  });

  it('defaults schemaVersion to 1 and leaves $causationId out when there is no cause', () => {
    const sent = toEventData(
      { type: 'X', data: {}, metadata: { ...metadata, causationId: null } },
      'id',
      '2026-03-01T00:00:00.000Z',
    );
    expect(sent.metadata).toMatchObject({ schemaVersion: 1 });
    expect(sent.metadata).not.toHaveProperty('$causationId');
  });

  it('reads back our envelope with a 1-based version and the encoded position', () => {
    const sent = toEventData(event, event.id!, '2026-03-01T09:59:59.000Z');
    const recorded = toRecordedEvent(
      asStored(sent, 'dossier-FINSAS008539', 0n, { commit: 500n, prepare: 480n }),
    );
    expect(recorded).toEqual({
      id: event.id,
      type: 'AvanceImported',
      schemaVersion: 2,
      streamId: 'dossier-FINSAS008539',
      streamVersion: 1,
      position: encodePosition({ commit: 500n, prepare: 480n }),
      recordedAt: '2026-03-01T09:59:59.000Z',
      data: event.data,
      metadata,
    });
    expect(toRecordedEvent(asStored(sent, 'dossier-FINSAS008539', 6n)).streamVersion).toBe(7);
  });

  it('maps a foreign event (no envelope) instead of failing the reader', () => {
    const foreign = {
      streamId: 'legacy-1',
      id: 'e1',
      isJson: true,
      revision: 0n,
      type: 'LegacyThing',
      created: new Date('2025-01-01T00:00:00.000Z'),
      data: { a: 1 },
      metadata: undefined,
      position: { commit: 1n, prepare: 1n },
    } as EsdbRecordedEvent;
    expect(toRecordedEvent(foreign)).toMatchObject({
      schemaVersion: 1,
      recordedAt: '2025-01-01T00:00:00.000Z',
      metadata: { actor: { id: 'inconnu', role: 'inconnu' }, correlationId: 'e1', causationId: null },
    });
  });

  it('says which server is needed when the position is missing', () => {
    const sent = toEventData(event, event.id!, '2026-03-01T09:59:59.000Z');
    const stored = { ...asStored(sent, 's', 0n), position: undefined } as EsdbRecordedEvent;
    expect(() => toRecordedEvent(stored)).toThrow(/22\.6/);
  });
});

describe('error mapping', () => {
  it('turns the client conflict into ours, with the actual 1-based version', () => {
    const esdb = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'dossier-1',
      current: 4n,
      expected: 2n,
    });
    const mapped = toWrongExpectedVersionError(esdb, 'dossier-1', 3);
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ code: 'CONFLIT_VERSION', streamId: 'dossier-1', expected: 3, actual: 5 });
  });

  it('reports 0 when the stream does not exist', () => {
    const esdb = new EsdbWrongExpectedVersionError(undefined, {
      streamName: 'dossier-1',
      current: NO_STREAM,
      expected: STREAM_EXISTS,
    });
    expect(toWrongExpectedVersionError(esdb, 'dossier-1', 'stream_exists')).toMatchObject({ actual: 0 });
  });

  it('leaves other errors alone', () => {
    expect(toWrongExpectedVersionError(new UnavailableError(), 's', 1)).toBeNull();
    expect(toWrongExpectedVersionError(new Error('x'), 's', 1)).toBeNull();
  });
});
