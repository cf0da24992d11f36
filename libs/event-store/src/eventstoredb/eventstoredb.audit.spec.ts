import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { GENESIS_HASH, chainHash } from '../audit/chain-hash';
import { firstBreak } from '../audit/verify-chain';
import type { NewEvent } from '../event-store.port';
import { chainLinkOf, chainLinks, toChainEntry, withChainLink } from './eventstoredb.audit';
import { toEventData, toRecordedEvent } from './eventstoredb.mapping';

const metadata = { actor: { id: 'g', role: 'gestionnaire' }, correlationId: 'c', causationId: 'k' };
const events: Array<NewEvent & { id: string }> = [
  { id: '0190a000-0000-7000-8000-000000000001', type: 'A', data: { montant: 1000 }, metadata },
  { id: '0190a000-0000-7000-8000-000000000002', type: 'B', schemaVersion: 2, data: { x: 1 }, metadata },
];

/** What the server hands back: the JSON payloads sent, parsed again. */
const stored = (
  streamId: string,
  sent: ReturnType<typeof toEventData>,
  revision: bigint,
): EsdbRecordedEvent =>
  ({
    streamId,
    id: sent.id,
    isJson: true,
    revision,
    type: sent.type,
    created: new Date('2026-03-01T10:00:00.000Z'),
    data: JSON.parse(JSON.stringify(sent.data)),
    metadata: JSON.parse(JSON.stringify(sent.metadata)),
    contentType: 'application/json',
    position: { commit: 10n + revision, prepare: 10n + revision },
  }) as EsdbRecordedEvent;

describe('EventStoreDB : la chaîne de hachage dans les métadonnées ($audit)', () => {
  const streamId = 'dossier-FINSAS000001';
  const links = chainLinks(streamId, 0, null, events);
  const written = events.map((e, i) =>
    stored(streamId, withChainLink(toEventData(e, e.id, '2026-03-01T10:00:00.000Z'), links[i]!), BigInt(i)),
  );

  it('calcule les mêmes hash que les autres magasins, et les relit depuis les métadonnées', () => {
    expect(links[0]?.prevHash).toBe(GENESIS_HASH);
    expect(links[1]?.prevHash).toBe(links[0]?.hash);
    const recorded = written.map(toRecordedEvent);
    expect(links[1]?.hash).toBe(chainHash(links[0]!.hash, 2, recorded[1]!));
    expect(written.map(chainLinkOf)).toEqual(links);
  });

  it('$audit ne reste pas dans les métadonnées que voient les lecteurs', () => {
    expect(toRecordedEvent(written[0]!).metadata).toEqual(metadata);
  });

  it('relue comme chaîne, elle est intègre ; un octet changé est nommé', () => {
    const entries = written.map(toChainEntry);
    expect(firstBreak(entries)).toBeNull();
    const tampered = written.map((e, i) =>
      i === 0 ? { ...e, data: { montant: 1001 } } : e,
    ) as EsdbRecordedEvent[];
    expect(firstBreak(tampered.map(toChainEntry))).toMatchObject({ kind: 'hash', eventId: events[0]?.id });
  });

  it('prolonge un flux depuis le hash de sa tête, et refuse une tête non chaînée', () => {
    const next = chainLinks(streamId, 2, links[1]!.hash, [
      { ...events[0]!, id: '0190a000-0000-7000-8000-000000000003' },
    ]);
    expect(next[0]?.prevHash).toBe(links[1]?.hash);
    expect(() => chainLinks(streamId, 2, null, events)).toThrow(/non chaînée/);
    expect(chainLinkOf({ ...written[0]!, metadata: { foreign: true } })).toBeNull();
  });
});
