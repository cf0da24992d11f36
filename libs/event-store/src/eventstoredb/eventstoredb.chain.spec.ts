import { ANY, NO_STREAM, type EventData } from '@eventstore/db-client';
import { GENESIS_HASH } from '../audit/chain-hash';
import { firstBreak } from '../audit/verify-chain';
import { WrongExpectedVersionError, type NewEvent } from '../event-store.port';
import { InMemoryEventStore } from '../memory/memory.event-store';
import { chainLinkOf, chainLinks, toChainEntry, withChainLink } from './eventstoredb.audit';
import {
  CHAIN_RACE_ROUNDS,
  ChainHeadContendedError,
  EventStoreDbEventStore,
} from './eventstoredb.event-store';
import { FakeCluster } from './eventstoredb.fake-cluster';
import { notLeader, unavailable } from './eventstoredb.grpc-errors';
import { toEventData, versionFromRevision } from './eventstoredb.mapping';

// The hash chain on the EventStoreDB append path, against the stubbed cluster of
// eventstoredb.fake-cluster.ts (no server here): each append reads the head from the leader,
// chains onto it and is sent at the head's exact revision.

const meta = { actor: { id: 'g1', role: 'gestionnaire' }, correlationId: 'c', causationId: null };
let next = 0;
const ev = (type: string, data: unknown = { type }): NewEvent & { id: string } => ({
  id: `0190a000-0000-7000-8000-${String(++next).padStart(12, '0')}`,
  type,
  data,
  metadata: meta,
});

const storeOn = (cluster: FakeCluster, auditChain?: boolean) =>
  new EventStoreDbEventStore(cluster.client(), {
    appendAttempts: 4,
    random: () => 0.5,
    sleep: async () => undefined,
    ...(auditChain === undefined ? {} : { auditChain }),
  });

const chainOf = (cluster: FakeCluster, streamId: string) =>
  (cluster.streams.get(streamId) ?? []).map(toChainEntry);

/** Another writer chaining correctly onto the current head, as a second process would. */
const rivalWrite = (cluster: FakeCluster, streamId: string): void => {
  const stream = cluster.streams.get(streamId) ?? [];
  const last = stream.at(-1);
  const version = last ? versionFromRevision(last.revision) : 0;
  const event = ev('Rival');
  const [link] = chainLinks(streamId, version, last ? (chainLinkOf(last)?.hash ?? null) : null, [event]);
  cluster.write(streamId, [withChainLink(toEventData(event, event.id, '2026-03-02T09:00:00Z'), link!)]);
};

const auditOf = (data: EventData): unknown => (data.metadata as Record<string, unknown>)['$audit'];
const headReads = (cluster: FakeCluster) =>
  cluster.readCalls.filter((c) => c.streamId !== '$all' && c.options.direction === 'backwards');

describe('EventStoreDB : écriture chaînée ($audit) à la révision exacte de la tête', () => {
  it('chaîne chaque écriture sur la tête lue, envoyée à sa révision exacte même pour « any »', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A'), ev('B')], { expectedVersion: 'any' });
    await store.appendToStream('dossier-A', [ev('C')], { expectedVersion: 'any' });
    await store.appendToStream('dossier-A', [ev('D')], { expectedVersion: 3 });

    expect(cluster.appendCalls.map((c) => c.expectedRevision)).toEqual([NO_STREAM, 1n, 2n]);
    const entries = chainOf(cluster, 'dossier-A');
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries.map((e) => e.hash)).not.toContain(null);
    expect(firstBreak(entries)).toBeNull();
    // Readers never see the links.
    const read = await store.readStream('dossier-A');
    expect(read.map((e) => e.metadata)).toEqual([meta, meta, meta, meta]);
  });

  it('calcule les mêmes liens que les autres magasins (mêmes entrées de chainHash)', async () => {
    const cluster = new FakeCluster();
    const esdb = storeOn(cluster);
    const memory = new InMemoryEventStore();
    const first = [ev('AvanceImported', { montant: 1000, lignes: [{ b: 1, a: 2 }] }), ev('B')];
    const second = [{ ...ev('C', { x: 'é' }), schemaVersion: 2 }];
    for (const store of [esdb, memory]) {
      await store.appendToStream('dossier-A', first, { expectedVersion: 'no_stream' });
      await store.appendToStream('dossier-A', second, { expectedVersion: 2 });
    }
    const fromMemory = await memory.auditLog().readChain('dossier-A');
    expect(chainOf(cluster, 'dossier-A').map((e) => [e.prevHash, e.hash])).toEqual(
      fromMemory.map((e) => [e.prevHash, e.hash]),
    );
  });

  it('« any » devancé par un autre écrivain : relit la tête et recommence, la chaîne reste intègre', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    let rivals = 2;
    cluster.beforeAppend = (streamId) => {
      if (rivals-- > 0) rivalWrite(cluster, streamId);
    };
    const r = await store.appendToStream('dossier-A', [ev('Mine')], { expectedVersion: 'any' });

    expect(r.nextExpectedVersion).toBe(4);
    expect(cluster.appendCalls.slice(1).map((c) => c.expectedRevision)).toEqual([0n, 1n, 2n]);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
    expect(chainOf(cluster, 'dossier-A').map((e) => e.type)).toEqual(['A', 'Rival', 'Rival', 'Mine']);
  });

  it('« stream_exists » devancé : même reprise', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    let rivals = 1;
    cluster.beforeAppend = (streamId) => {
      if (rivals-- > 0) rivalWrite(cluster, streamId);
    };
    await store.appendToStream('dossier-A', [ev('Mine')], { expectedVersion: 'stream_exists' });
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
    await expect(
      store.appendToStream('dossier-B', [ev('X')], { expectedVersion: 'stream_exists' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  it('abandonne après CHAIN_RACE_ROUNDS tours devancés, sans rien écrire', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    // More rivals than rounds, but not endless: without the bound the append would get through.
    let rivals = CHAIN_RACE_ROUNDS + 5;
    cluster.beforeAppend = (streamId) => {
      if (rivals-- > 0) rivalWrite(cluster, streamId);
    };
    const mine = ev('Mine');
    await expect(
      store.appendToStream('dossier-A', [mine], { expectedVersion: 'any' }),
    ).rejects.toBeInstanceOf(ChainHeadContendedError);
    expect(cluster.appendCalls).toHaveLength(1 + CHAIN_RACE_ROUNDS);
    expect(cluster.streams.get('dossier-A')!.map((e) => e.id)).not.toContain(mine.id);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
  });

  it('une version attendue donnée par l’appelant : le conflit est le sien, sans reprise', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    cluster.beforeAppend = (streamId) => rivalWrite(cluster, streamId);
    await expect(
      store.appendToStream('dossier-A', [ev('Mine')], { expectedVersion: 1 }),
    ).rejects.toMatchObject({ name: 'WrongExpectedVersionError', expected: 1, actual: 2 });
    expect(cluster.appendCalls).toHaveLength(2);
    expect(headReads(cluster)).toHaveLength(2);
    // A head already past the caller's version: refused before anything is sent.
    cluster.beforeAppend = null;
    await expect(
      store.appendToStream('dossier-A', [ev('Mine')], { expectedVersion: 1 }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(cluster.appendCalls).toHaveLength(2);
  });

  it('lit la tête sur le leader : un suiveur en retard ne fait pas chaîner sur une tête périmée', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    cluster.followerLag = 1;
    await store.appendToStream('dossier-A', [ev('B')], { expectedVersion: 'any' });
    await store.appendToStream('dossier-A', [ev('C')], { expectedVersion: 'any' });
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
    expect(headReads(cluster).every((c) => c.options.requiresLeader === true)).toBe(true);
  });

  it('relit la tête après un échec passager de sa lecture', async () => {
    const cluster = new FakeCluster();
    cluster.headSteps = [notLeader()];
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'any' });
    expect(headReads(cluster)).toHaveLength(2);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
  });

  it('renvoie à l’identique (mêmes ids, mêmes liens, même révision) après une réponse perdue', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'no_stream' });
    cluster.appendSteps = ['commit-then-lose-answer'];
    await store.appendToStream('dossier-A', [ev('B'), ev('C')], { expectedVersion: 'any' });
    cluster.appendSteps = [unavailable()];
    await store.appendToStream('dossier-A', [ev('D')], { expectedVersion: 'any' });

    const [, lost, resent, failed, retried] = cluster.appendCalls;
    expect(resent).toEqual(lost);
    expect(retried).toEqual(failed);
    expect(auditOf(lost!.data[0]!)).toBeDefined();
    expect(cluster.streams.get('dossier-A')).toHaveLength(4);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
    // The links are computed once per round: one head read per append.
    expect(headReads(cluster)).toHaveLength(3);
  });

  it('sans re-envoi dédoublonné par le serveur, retrouve ses événements chaînés dans le flux', async () => {
    const cluster = new FakeCluster();
    cluster.dedup = false;
    const store = storeOn(cluster);
    cluster.appendSteps = ['commit-then-lose-answer'];
    const r = await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'any' });
    expect(cluster.streams.get('dossier-A')).toHaveLength(1);
    expect(r.nextExpectedVersion).toBe(1);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toBeNull();
  });

  it('une tête non chaînée (flux écrit avant la chaîne) : écrit sans liens, sans échouer', async () => {
    const cluster = new FakeCluster();
    const legacy = ev('Legacy');
    cluster.write('dossier-A', [toEventData(legacy, legacy.id, '2026-01-01T00:00:00Z')]);
    const store = storeOn(cluster);
    const r = await store.appendToStream('dossier-A', [ev('B')], { expectedVersion: 'any' });
    expect(r.nextExpectedVersion).toBe(2);
    expect(auditOf(cluster.appendCalls[0]!.data[0]!)).toBeUndefined();
    expect(cluster.appendCalls[0]!.expectedRevision).toBe(0n);
    expect(firstBreak(chainOf(cluster, 'dossier-A'))).toMatchObject({
      kind: 'non-chaine',
      eventId: legacy.id,
    });
  });

  it('appendMany chaîne chaque flux, les éléments d’un même flux l’un après l’autre', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster);
    const results = await store.appendMany([
      { streamId: 'dossier-A', events: [ev('A1')], expectedVersion: 'no_stream' },
      { streamId: 'dossier-B', events: [ev('B1'), ev('B2')], expectedVersion: 'any' },
      { streamId: 'dossier-A', events: [ev('A2')], expectedVersion: 1 },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    for (const id of ['dossier-A', 'dossier-B']) {
      expect(chainOf(cluster, id).every((e) => e.hash !== null)).toBe(true);
      expect(firstBreak(chainOf(cluster, id))).toBeNull();
    }
  });

  it('auditChain: false écrit sans $audit, à la révision demandée, sans lire la tête', async () => {
    const cluster = new FakeCluster();
    const store = storeOn(cluster, false);
    await store.appendToStream('dossier-A', [ev('A')], { expectedVersion: 'any' });
    await store.appendMany([{ streamId: 'dossier-B', events: [ev('B')], expectedVersion: 'any' }]);
    expect(cluster.appendCalls.map((c) => c.expectedRevision)).toEqual([ANY, ANY]);
    expect(cluster.appendCalls.flatMap((c) => c.data).map(auditOf)).toEqual([undefined, undefined]);
    expect(headReads(cluster)).toHaveLength(0);
  });

  it('refuse d’écrire dans le flux réservé aux points de contrôle', async () => {
    const store = storeOn(new FakeCluster());
    await expect(
      store.appendToStream('segur-audit-checkpoints', [ev('X')], { expectedVersion: 'any' }),
    ).rejects.toThrow(/réservé/);
  });
});
