import { generateKeyPairSync } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { InMemoryEventStore } from '../memory/memory.event-store';
import type { NewEvent } from '../event-store.port';
import { exportBundle } from './audit-bundle';
import { makeCheckpoint } from './audit-checkpoints';
import type { ChainEntry } from './audit-log.port';
import { AuditVerifier } from './audit-verifier';
import { GENESIS_HASH, canonicalJson, chainHash, eventDigest, linkHash } from './chain-hash';
import { checkpointSignatureValid, publicKeyPemOf, signCheckpoint } from './checkpoint-signature';
import { inclusionProof, leafHash, merkleRoot, rootFromProof } from './merkle';
import { firstBreak } from './verify-chain';

const event = (type: string, data: unknown): NewEvent => ({
  type,
  data,
  metadata: { actor: { id: 'a', role: 'gestionnaire' }, correlationId: 'c', causationId: null },
});

const fourEvents = async (): Promise<{ store: InMemoryEventStore; chain: ChainEntry[] }> => {
  const store = new InMemoryEventStore();
  await store.appendToStream(
    'dossier-FINSAS000001',
    [event('A', { montant: 1000 }), event('B', { x: [1, 2] })],
    {
      expectedVersion: 'no_stream',
    },
  );
  await store.appendMany([
    { streamId: 'dossier-FINSAS000001', events: [event('C', {}), event('D', null)], expectedVersion: 2 },
  ]);
  return { store, chain: await store.auditLog().readChain('dossier-FINSAS000001') };
};

describe('JCS (RFC 8785) et hachage d’un événement', () => {
  it('trie les clés, écrit les nombres comme ECMAScript, sans espace', () => {
    expect(canonicalJson({ b: 1, a: [1.5, -0, 1e21, 'é'], c: { z: null, y: true } })).toBe(
      '{"a":[1.5,0,1e+21,"é"],"b":1,"c":{"y":true,"z":null}}',
    );
  });

  it('même texte que le paquet canonicalize et que le vérificateur autonome, clés entières comprises', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { jcs } = require('../../../../scripts/verify-audit-bundle.js') as { jcs: (v: unknown) => string };
    const v = { '10': 1, '9': 2, b: { '2': [{ z: 1, a: 2 }] } };
    expect(canonicalJson(v)).toBe('{"10":1,"9":2,"b":{"2":[{"a":2,"z":1}]}}');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
        expect(jcs(value)).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('l’ordre des clés ne change pas le hash ; un octet de données, si', () => {
    const base = { streamId: 's', id: 'i', type: 't', schemaVersion: 1, metadata: { a: 1, b: 2 } };
    expect(eventDigest({ ...base, data: { x: 1, y: 2 } })).toBe(
      eventDigest({ ...base, data: { y: 2, x: 1 }, metadata: { b: 2, a: 1 } }),
    );
    expect(eventDigest({ ...base, data: { x: 1 } })).not.toBe(eventDigest({ ...base, data: { x: 2 } }));
    const d = eventDigest({ ...base, data: null });
    expect(linkHash(GENESIS_HASH, 1, d)).not.toBe(linkHash(GENESIS_HASH, 2, d));
  });
});

describe('firstBreak : le premier maillon rompu d’un flux', () => {
  it('une chaîne écrite par le magasin mémoire est intègre', async () => {
    const { chain } = await fourEvents();
    expect(chain.map((e) => e.prevHash)).toEqual([
      GENESIS_HASH,
      chain[0]?.hash,
      chain[1]?.hash,
      chain[2]?.hash,
    ]);
    expect(chain[3]?.hash).toBe(chainHash(chain[2]?.hash as string, 4, chain[3] as ChainEntry));
    expect(firstBreak(chain)).toBeNull();
  });

  it('contenu, prevHash, version manquante, échange, non chaîné : chacun nommé', async () => {
    const { chain } = await fourEvents();
    const at = (i: number) => chain[i] as ChainEntry;
    expect(firstBreak(chain.map((e, i) => (i === 1 ? { ...e, data: { x: [1, 3] } } : e)))).toMatchObject({
      kind: 'hash',
      eventId: at(1).id,
    });
    expect(firstBreak(chain.map((e, i) => (i === 2 ? { ...e, prevHash: GENESIS_HASH } : e)))).toMatchObject({
      kind: 'prevHash',
      eventId: at(2).id,
    });
    expect(firstBreak([at(0), at(2), at(3)])).toMatchObject({
      kind: 'version-manquante',
      eventId: at(2).id,
      expected: '2',
    });
    expect(
      firstBreak([at(0), { ...at(2), streamVersion: 2 }, { ...at(1), streamVersion: 3 }, at(3)]),
    ).toMatchObject({ kind: 'reordonnancement', eventId: at(2).id, expected: '3', found: '2' });
    expect(firstBreak([at(0), { ...at(1), hash: null, prevHash: null }])).toMatchObject({
      kind: 'non-chaine',
    });
  });
});

describe('arbre de Merkle et preuves d’inclusion', () => {
  it.each([1, 2, 3, 5, 8, 13])('chaque feuille de %i remonte à la racine, une autre non', (n) => {
    const leaves = Array.from({ length: n }, (_, i) =>
      leafHash({ streamId: `s${i}`, version: i + 1, hash: GENESIS_HASH }),
    );
    const root = merkleRoot(leaves);
    leaves.forEach((leaf, i) => expect(rootFromProof(leaf, inclusionProof(leaves, i))).toBe(root));
    if (n > 1) expect(rootFromProof(leaves[0] as string, inclusionProof(leaves, 1))).not.toBe(root);
  });
});

describe('points de contrôle signés (Ed25519)', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').privateKey;

  it('la signature couvre chaque champ ; une autre clé ne la vérifie pas', () => {
    const payload = {
      format: 'segur-audit-checkpoint/1' as const,
      position: '1',
      root: GENESIS_HASH,
      streams: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      previousRoot: null,
    };
    const sig = signCheckpoint(payload, privateKey);
    expect(checkpointSignatureValid(payload, sig, publicKeyPemOf(privateKey))).toBe(true);
    expect(checkpointSignatureValid({ ...payload, streams: 2 }, sig, publicKeyPemOf(privateKey))).toBe(false);
    expect(checkpointSignatureValid(payload, sig, publicKeyPemOf(other))).toBe(false);
  });

  it('magasin mémoire : point de contrôle, vérification, clé non publiée refusée, lot exporté', async () => {
    const { store } = await fourEvents();
    const log = store.auditLog();
    const { checkpoint } = await makeCheckpoint(log, privateKey, () => new Date('2026-01-01T00:00:00Z'));
    const verifier = new AuditVerifier(log);
    expect(await verifier.verifyAll({ trustedKeys: [publicKeyPemOf(privateKey)] })).toMatchObject({
      intact: true,
      events: 4,
      checkpoint: { id: checkpoint?.id },
    });
    expect(await verifier.verifyAll({ trustedKeys: [publicKeyPemOf(other)] })).toMatchObject({
      intact: false,
      break: { kind: 'signature' },
    });
    const bundle = await exportBundle(log, 'dossier-FINSAS000001', publicKeyPemOf(privateKey));
    expect(bundle?.leaf).toMatchObject({ version: 4 });
    expect(rootFromProof(leafHash(bundle?.leaf as never), bundle?.proof ?? [])).toBe(
      checkpoint?.payload.root,
    );
    expect(await exportBundle(log, 'dossier-FINSAS999999', null)).toBeNull();
  });
});
