import { generateKeyPairSync } from 'node:crypto';
import { makeCheckpoint } from '../audit/audit-checkpoints';
import {
  ConcurrentCheckpointError,
  UnchainedEventsError,
  isAuditable,
  type AuditLog,
} from '../audit/audit-log.port';
import { AuditVerifier } from '../audit/audit-verifier';
import { publicKeyPemOf, signCheckpoint } from '../audit/checkpoint-signature';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb.event-store';
import { AUDIT_CHECKPOINT_STREAM, toCheckpointEventData } from './eventstoredb.checkpoint-stream';
import { FakeCluster } from './eventstoredb.fake-cluster';
import { toEventData } from './eventstoredb.mapping';

// The audit log on EventStoreDB against the stubbed cluster (no server here): chains read from
// `$audit`, checkpoints as events of their own hidden stream, the verifier and makeCheckpoint of
// the PostgreSQL store reused unchanged.

const meta = { actor: { id: 'g1', role: 'gestionnaire' }, correlationId: 'c', causationId: null };
let next = 0;
const ev = (type: string, data: unknown = { type }): NewEvent & { id: string } => ({
  id: `0190b000-0000-7000-8000-${String(++next).padStart(12, '0')}`,
  type,
  data,
  metadata: meta,
});

const { privateKey } = generateKeyPairSync('ed25519');
const { privateKey: otherKey } = generateKeyPairSync('ed25519');

const setup = () => {
  const cluster = new FakeCluster();
  const store = new EventStoreDbEventStore(cluster.client(), { sleep: async () => undefined });
  if (!isAuditable(store)) throw new Error('EventStoreDB store should offer the audit log');
  const log: AuditLog = store.auditLog();
  return { cluster, store, log, verifier: new AuditVerifier(log) };
};

const fill = async (store: EventStoreDbEventStore) => {
  await store.appendToStream('dossier-B', [ev('B1'), ev('B2')], { expectedVersion: 'no_stream' });
  await store.appendToStream('dossier-A', [ev('A1')], { expectedVersion: 'no_stream' });
  await store.appendToStream('dossier-B', [ev('B3')], { expectedVersion: 2 });
};

describe('EventStoreDbAuditLog', () => {
  it('vérifie, signe un point de contrôle puis le relit, ses têtes redonnant la racine signée', async () => {
    const { cluster, store, log, verifier } = setup();
    await fill(store);
    expect(await log.streamIds(null, 10)).toEqual(['dossier-A', 'dossier-B']);
    expect(await log.streamIds('dossier-A', 10)).toEqual(['dossier-B']);
    expect(await log.unchainedCount()).toBe(0);

    const first = await makeCheckpoint(log, privateKey);
    expect(first).toMatchObject({ created: true, checkpoint: { id: 1, payload: { streams: 2 } } });
    expect(cluster.streams.get(AUDIT_CHECKPOINT_STREAM)).toHaveLength(1);
    expect((await makeCheckpoint(log, privateKey)).created).toBe(false);

    await store.appendToStream('dossier-A', [ev('A2')], { expectedVersion: 1 });
    const second = await makeCheckpoint(log, privateKey);
    expect(second.checkpoint?.payload.previousRoot).toBe(first.checkpoint?.payload.root);
    expect(await log.checkpointLeaves(2)).toEqual([
      { streamId: 'dossier-A', version: 2, hash: (await log.readChain('dossier-A'))[1]?.hash },
      { streamId: 'dossier-B', version: 3, hash: (await log.readChain('dossier-B'))[2]?.hash },
    ]);
    // Only the changed head went into the second checkpoint's event.
    const stored = cluster.streams.get(AUDIT_CHECKPOINT_STREAM)![1]!.data as { changed: unknown[] };
    expect(stored.changed).toHaveLength(1);

    const trustedKeys = [publicKeyPemOf(privateKey)];
    const all = await verifier.verifyAll({ fromCheckpoint: 1, trustedKeys });
    expect(all).toMatchObject({ intact: true, streams: 2, events: 5, checkpoint: { id: 2 } });
    expect(await verifier.verifyStream('dossier-A', { trustedKeys })).toMatchObject({ intact: true });
  });

  it('un événement modifié sur le disque : la vérification le nomme', async () => {
    const { cluster, store, verifier } = setup();
    await fill(store);
    await makeCheckpoint(store.auditLog(), privateKey);
    const victim = cluster.streams.get('dossier-B')![1]!;
    cluster.tamper('dossier-B', 1, { type: 'B2', montant: 1 });
    const report = await verifier.verifyStream('dossier-B');
    expect(report).toMatchObject({
      intact: false,
      break: { kind: 'hash', eventId: victim.id, streamVersion: 2 },
    });
    expect((await verifier.verifyAll()).break?.eventId).toBe(victim.id);
  });

  it('le flux des points de contrôle n’apparaît dans aucune lecture du journal', async () => {
    const { cluster, store, log } = setup();
    await fill(store);
    await makeCheckpoint(log, privateKey);
    const lastEvent = cluster.streams.get('dossier-B')!.at(-1)!;

    const page = await store.readAll({ limit: 100 });
    expect(page.events.map((e) => e.streamId)).not.toContain(AUDIT_CHECKPOINT_STREAM);
    expect(page.events).toHaveLength(4);
    expect(
      (await store.readAll({ limit: 100, filter: { types: ['AuditCheckpointSigned'] } })).events,
    ).toEqual([]);
    expect(await store.headPosition()).toBe(page.cursor);
    expect(await log.headPosition()).toBe(page.cursor);
    expect(page.cursor).toBe(page.events.at(-1)?.position);
    expect(await log.streamIds(null, 10)).not.toContain(AUDIT_CHECKPOINT_STREAM);

    const controller = new AbortController();
    const seen: RecordedEvent[] = [];
    for await (const event of store.subscribeToAll({ signal: controller.signal })) {
      seen.push(event);
      if (event.id === lastEvent.id) controller.abort();
    }
    expect(seen.map((e) => e.streamId)).not.toContain(AUDIT_CHECKPOINT_STREAM);
    expect(seen).toHaveLength(4);
  });

  it('refuse un point de contrôle qui ne reprend pas la racine du précédent', async () => {
    const { store, log } = setup();
    await fill(store);
    await makeCheckpoint(log, privateKey);
    const payload = {
      format: 'segur-audit-checkpoint/1' as const,
      position: await log.headPosition(),
      root: '00'.repeat(32),
      streams: 0,
      createdAt: '2026-03-02T10:00:00.000Z',
      previousRoot: null,
    };
    await expect(
      log.appendCheckpoint(payload, signCheckpoint(payload, privateKey), publicKeyPemOf(privateKey), []),
    ).rejects.toBeInstanceOf(ConcurrentCheckpointError);
    expect(await log.checkpoints()).toHaveLength(1);
  });

  it('un autre point de contrôle enregistré entre la lecture et l’écriture : refusé par la révision', async () => {
    const { cluster, store, log } = setup();
    await fill(store);
    cluster.beforeAppend = (streamId) => {
      if (streamId !== AUDIT_CHECKPOINT_STREAM) return;
      cluster.beforeAppend = null;
      const rival = { ...makePayload(), previousRoot: null };
      cluster.write(AUDIT_CHECKPOINT_STREAM, [
        toCheckpointEventData(1, rival, signCheckpoint(rival, otherKey), publicKeyPemOf(otherKey), [], 'x'),
      ]);
    };
    await expect(makeCheckpointOnce(log)).rejects.toBeInstanceOf(ConcurrentCheckpointError);
    expect(await log.checkpoints()).toHaveLength(1);
  });

  it('un journal écrit avant la chaîne : compté, jamais chaînable, aucun point de contrôle', async () => {
    const { cluster, store, log } = setup();
    const legacy = ev('Legacy');
    cluster.write('dossier-A', [toEventData(legacy, legacy.id, '2026-01-01T00:00:00Z')]);
    await store.appendToStream('dossier-A', [ev('After')], { expectedVersion: 1 });
    await store.appendToStream('dossier-B', [ev('B1')], { expectedVersion: 'no_stream' });

    expect(await log.unchainedCount()).toBe(2);
    expect(await log.chainPending(1000)).toBe(0);
    expect(log.cannotChain).toMatch(/immuables/);
    const refused = makeCheckpoint(log, privateKey);
    await expect(refused).rejects.toBeInstanceOf(UnchainedEventsError);
    await expect(refused).rejects.toThrow(/dossier-A/);
    await expect(refused).rejects.not.toThrow(/audit chain/);
    expect((await new AuditVerifier(log).verifyStream('dossier-B'))?.intact).toBe(true);
  });
});

const makePayload = () => ({
  format: 'segur-audit-checkpoint/1' as const,
  position: null,
  root: 'ff'.repeat(32),
  streams: 0,
  createdAt: '2026-03-02T10:00:00.000Z',
  previousRoot: null as string | null,
});

/** One try of makeCheckpoint's work (makeCheckpoint itself retries a concurrent checkpoint). */
const makeCheckpointOnce = async (log: AuditLog) => {
  const payload = { ...makePayload(), position: await log.headPosition() };
  return log.appendCheckpoint(payload, signCheckpoint(payload, privateKey), publicKeyPemOf(privateKey), []);
};
