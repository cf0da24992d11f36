import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-store.port';
import { PostgresEventStore } from '../postgres/postgres.event-store';
import { migrate } from '../postgres/postgres.migrations';
import type { SqlExecutor } from '../sql-client';
import { createTestSqlClient, type TestSqlClient } from '../testing/test-sql-client';
import { exportBundle } from './audit-bundle';
import { makeCheckpoint } from './audit-checkpoints';
import type { AuditLog } from './audit-log.port';
import { AuditVerifier } from './audit-verifier';
import { GENESIS_HASH, chainHash } from './chain-hash';
import { publicKeyPemOf } from './checkpoint-signature';

// The chain, the checkpoints and the verifier on the real SQL store (PostgreSQL with
// TEST_DATABASE_URL, PGlite otherwise). Tampering is done as an attacker with database rights
// would: the append-only trigger disabled, rows rewritten in SQL, nothing re-signed.
const event = (type: string, data: unknown, n = 1): NewEvent => ({
  type,
  data,
  metadata: { actor: { id: 'agent', role: 'gestionnaire' }, correlationId: `c${n}`, causationId: null },
});

// The bundle test starts the standalone checker twice: a loaded machine takes seconds to spawn Node.
jest.setTimeout(60_000);

const VERIFIER = join(__dirname, '../../../../scripts/verify-audit-bundle.js');

describe('piste d’audit infalsifiable (chaîne, points de contrôle, vérification)', () => {
  let db: TestSqlClient;
  let store: PostgresEventStore;
  let log: AuditLog;
  let verifier: AuditVerifier;
  const { privateKey } = generateKeyPairSync('ed25519');

  /** As a database superuser would: the append-only trigger off for the statements, then on again. */
  const tamper = (...statements: string[]): Promise<void> =>
    db.client.transaction(async (tx: SqlExecutor) => {
      await tx.query('ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete');
      for (const s of statements) await tx.query(s);
      await tx.query('ALTER TABLE es_events ENABLE TRIGGER es_events_no_update_delete');
    });

  /** A stream of four events: one single append, one append of two, one appendMany. */
  const writeDossier = async (streamId: string): Promise<void> => {
    await store.appendToStream(streamId, [event('AvanceImported', { montant: 1000, objet: 'logiciel' })], {
      expectedVersion: 'no_stream',
    });
    await store.appendToStream(
      streamId,
      [event('AvanceDeposee', { pieces: ['VA.pdf'] }, 2), event('AvanceValidee', { par: 'agent' }, 3)],
      { expectedVersion: 1 },
    );
    const [r] = await store.appendMany([
      { streamId, events: [event('AvancePayee', { montant: 1000 }, 4)], expectedVersion: 3 },
    ]);
    expect(r?.ok).toBe(true);
  };

  beforeAll(async () => {
    db = await createTestSqlClient('audit');
    await migrate(db.client);
    store = new PostgresEventStore(db.client);
    log = store.auditLog();
    verifier = new AuditVerifier(log);
  });

  afterAll(async () => {
    await store.close();
    await db.teardown();
  });

  it('chaque ajout porte prevHash et hash, recalculables en JS, par toutes les voies d’écriture', async () => {
    await writeDossier('dossier-CLEAN00001');
    await store.appendToStream('dossier-CLEAN00001', [event('Note', { texte: 'é"\\\u2028' })], {
      expectedVersion: 'any',
    });
    const chain = await log.readChain('dossier-CLEAN00001');
    expect(chain.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    let prev = GENESIS_HASH;
    for (const e of chain) {
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toBe(chainHash(prev, e.streamVersion, e));
      prev = e.hash as string;
    }
    const report = await verifier.verifyStream('dossier-CLEAN00001');
    expect(report).toMatchObject({ intact: true, events: 5, break: null });
    expect(report?.message).toMatch(
      /^Chaîne intègre jusqu'à la position \d{20}-\d{20}, aucun point de contrôle/,
    );
  });

  it('un magasin propre se vérifie avec son point de contrôle signé', async () => {
    await writeDossier('dossier-CLEAN00002');
    const first = await makeCheckpoint(log, privateKey);
    expect(first.created).toBe(true);
    expect(await makeCheckpoint(log, privateKey)).toMatchObject({ created: false });
    await writeDossier('dossier-CLEAN00003');
    const second = await makeCheckpoint(log, privateKey);
    expect(second.checkpoint?.payload.previousRoot).toBe(first.checkpoint?.payload.root);
    expect(second.checkpoint?.payload.streams).toBe(3);
    const all = await verifier.verifyAll({ trustedKeys: [publicKeyPemOf(privateKey)] });
    expect(all).toMatchObject({ intact: true, streams: 3, events: 13 });
    expect(all.message).toContain(`point de contrôle ${second.checkpoint?.id}`);
    expect(await verifier.verifyAll({ fromCheckpoint: first.checkpoint?.id })).toMatchObject({
      intact: true,
    });
  });

  it('un octet changé dans les données : verify nomme l’événement (hash)', async () => {
    await writeDossier('dossier-TAMPER0001');
    const target = (await log.readChain('dossier-TAMPER0001'))[0];
    await tamper(
      `UPDATE es_events SET data = replace(data::text, '1000', '1001')::jsonb
       WHERE stream_id = 'dossier-TAMPER0001' AND stream_version = 1`,
    );
    const report = await verifier.verifyStream('dossier-TAMPER0001');
    expect(report?.intact).toBe(false);
    expect(report?.break).toMatchObject({ kind: 'hash', eventId: target?.id, streamVersion: 1 });
    expect(report?.message).toContain(`l'événement ${target?.id}`);
  });

  it('un événement supprimé : verify nomme la version manquante et l’événement qui la suit', async () => {
    await writeDossier('dossier-TAMPER0002');
    const third = (await log.readChain('dossier-TAMPER0002'))[2];
    await tamper(`DELETE FROM es_events WHERE stream_id = 'dossier-TAMPER0002' AND stream_version = 2`);
    const report = await verifier.verifyStream('dossier-TAMPER0002');
    expect(report?.break).toMatchObject({
      kind: 'version-manquante',
      eventId: third?.id,
      streamVersion: 3,
      expected: '2',
    });
    expect(report?.message).toContain('version 2 absente');
  });

  it('deux événements échangés : verify nomme l’événement déplacé (réordonnancement)', async () => {
    await writeDossier('dossier-TAMPER0003');
    const third = (await log.readChain('dossier-TAMPER0003'))[2];
    await tamper(
      `UPDATE es_events SET stream_version = -stream_version
       WHERE stream_id = 'dossier-TAMPER0003' AND stream_version IN (2, 3)`,
      `UPDATE es_events SET stream_version = CASE stream_version WHEN -2 THEN 3 ELSE 2 END
       WHERE stream_id = 'dossier-TAMPER0003' AND stream_version IN (-2, -3)`,
    );
    const report = await verifier.verifyStream('dossier-TAMPER0003');
    expect(report?.break).toMatchObject({
      kind: 'reordonnancement',
      eventId: third?.id,
      streamVersion: 2,
      expected: '3',
    });
  });

  it('le dernier événement supprimé : seul le point de contrôle signé le révèle', async () => {
    await writeDossier('dossier-TAMPER0004');
    await makeCheckpoint(log, privateKey);
    await tamper(`DELETE FROM es_events WHERE stream_id = 'dossier-TAMPER0004' AND stream_version = 4`);
    const report = await verifier.verifyStream('dossier-TAMPER0004');
    expect(report?.break).toMatchObject({
      kind: 'tronque',
      streamId: 'dossier-TAMPER0004',
      streamVersion: 4,
    });
    const all = await verifier.verifyAll();
    expect(all.intact).toBe(false);
  });

  it('une chaîne réécrite en entier sans la clé : le point de contrôle signé la refuse', async () => {
    await writeDossier('dossier-TAMPER0005');
    await makeCheckpoint(log, privateKey);
    // Recomputes every hash of the stream after changing an amount: the chain alone looks intact.
    await tamper(
      `UPDATE es_events SET data = replace(data::text, '1000', '9000')::jsonb WHERE stream_id = 'dossier-TAMPER0005'`,
    );
    const rewritten = await log.readChain('dossier-TAMPER0005');
    let prev = GENESIS_HASH;
    const statements: string[] = [];
    for (const e of rewritten) {
      const hash = chainHash(prev, e.streamVersion, e);
      statements.push(
        `UPDATE es_events SET prev_hash = decode('${prev}', 'hex'), hash = decode('${hash}', 'hex')
         WHERE stream_id = 'dossier-TAMPER0005' AND stream_version = ${e.streamVersion}`,
      );
      prev = hash;
    }
    await tamper(...statements);
    const report = await verifier.verifyStream('dossier-TAMPER0005');
    expect(report?.break).toMatchObject({ kind: 'point-de-controle', streamVersion: 4 });
  });

  it('un lot exporté se vérifie hors ligne, et plus après un octet changé', async () => {
    await writeDossier('dossier-BUNDLE0001');
    await makeCheckpoint(log, privateKey);
    const pem = publicKeyPemOf(privateKey);
    const bundle = await exportBundle(log, 'dossier-BUNDLE0001', pem);
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const file = join(dir, 'lot.json');
    writeFileSync(file, JSON.stringify(bundle, null, 2));
    writeFileSync(join(dir, 'cle.pem'), pem);
    const ok = execFileSync(process.execPath, [VERIFIER, file, '--public-key', join(dir, 'cle.pem')], {
      encoding: 'utf8',
    });
    expect(ok).toMatch(/^INTÈGRE : 4 événements du flux dossier-BUNDLE0001/);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"montant": 1000', '"montant": 1001'));
    let out = '';
    let status = 0;
    try {
      execFileSync(process.execPath, [VERIFIER, file], { encoding: 'utf8' });
    } catch (error) {
      ({ stdout: out, status } = error as { stdout: string; status: number });
    }
    expect(status).toBe(1);
    expect(out).toMatch(/^ROMPU : événement [0-9a-f-]+ \(AvanceImported, version 1.*contenu modifié/);
  });

  it('l’UPDATE des hachages n’est permis qu’une fois, de NULL vers une valeur', async () => {
    await writeDossier('dossier-APPEND0001');
    await expect(
      db.client.query(
        `UPDATE es_events SET hash = decode(repeat('ab', 32), 'hex') WHERE stream_id = 'dossier-APPEND0001'`,
      ),
    ).rejects.toThrow(/ajout seul : UPDATE refusé/);
  });
});

describe('magasin écrit avant la chaîne : `audit chain` le chaîne une fois, par lots, reprenable', () => {
  let db: TestSqlClient;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestSqlClient('audit_legacy');
    await migrate(db.client);
    // auditChain false writes no digest: rows as a store written before migration 3 holds them.
    const legacy = new PostgresEventStore(db.client, { auditChain: false });
    for (const id of ['dossier-LEGACY0001', 'dossier-LEGACY0002'])
      for (let v = 0; v < 3; v++)
        await legacy.appendToStream(id, [event('Evenement', { v })], { expectedVersion: v });
    await legacy.close();
    store = new PostgresEventStore(db.client);
  });

  afterAll(async () => {
    await store.close();
    await db.teardown();
  });

  it('verify signale les événements non chaînés, puis le lot chaîné est intègre', async () => {
    const log = store.auditLog();
    const verifier = new AuditVerifier(log);
    expect((await verifier.verifyStream('dossier-LEGACY0001'))?.break).toMatchObject({
      kind: 'non-chaine',
      streamVersion: 1,
    });
    // A new append onto an unchained stream stays unchained until the command reaches it.
    await store.appendToStream('dossier-LEGACY0001', [event('Evenement', { v: 3 })], { expectedVersion: 3 });
    expect(await log.unchainedCount()).toBe(7);
    await expect(makeCheckpoint(log, generateKeyPairSync('ed25519').privateKey)).rejects.toThrow(
      /non chaînés/,
    );
    // Interrupted after each batch of two: every run resumes where the last one stopped.
    const batches: number[] = [];
    for (let n = await log.chainPending(2); n > 0; n = await log.chainPending(2)) batches.push(n);
    expect(batches).toEqual([2, 2, 2, 1]);
    expect(await log.unchainedCount()).toBe(0);
    expect(await verifier.verifyAll()).toMatchObject({ intact: true, streams: 2, events: 7 });
    // And new appends chain onto it directly.
    await store.appendToStream('dossier-LEGACY0002', [event('Evenement', { v: 3 })], { expectedVersion: 3 });
    expect(await log.unchainedCount()).toBe(0);
    expect(await verifier.verifyStream('dossier-LEGACY0002')).toMatchObject({ intact: true, events: 4 });
  });
});
