#!/usr/bin/env node
// Standalone checker of an audit bundle (`npm run cli -- audit export <numeroAsp> > bundle.json`),
// for an auditor who trusts neither the service nor its database. Node's standard library only: copy
// this one file anywhere with Node >= 18 and run
//
//   node verify-audit-bundle.js bundle.json [--public-key cle-publiee.pem]
//
// It recomputes every event's hash from its content (RFC 8785 canonical JSON, SHA-256), the chain
// from the first event, the Merkle path from the stream's head to the checkpoint's root, and the
// checkpoint's Ed25519 signature. `--public-key`: the key obtained independently (published by the
// service at /api/v1/audit/public-key, in a register, on paper); without it the bundle's own key is
// used, which proves consistency but not origin. Exit code 0: intact; 1: broken (the first broken
// link is printed); 2: unreadable input. What is hashed: docs/audit.md.
'use strict';
const { createHash, createPublicKey, verify } = require('node:crypto');
const { readFileSync } = require('node:fs');

// RFC 8785 (JCS): object keys sorted by UTF-16 code units, numbers in ECMAScript form (what
// JSON.stringify writes), strings as JSON.stringify escapes them, no whitespace. The service uses
// the `canonicalize` package, which implements the same rules.
const jcs = (value) => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('nombre non fini');
    return JSON.stringify(value);
  }
  if (typeof value.toJSON === 'function') return jcs(value.toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : jcs(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(value[k])}`).join(',')}}`;
};

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const GENESIS = '0'.repeat(64);

const digestOf = (e) =>
  sha256(
    Buffer.from(
      jcs([e.streamId, e.id, e.type, e.schemaVersion, e.data === undefined ? null : e.data, e.metadata]),
      'utf8',
    ),
  );

const linkOf = (prevHash, version, digest) => {
  const v = Buffer.alloc(8);
  v.writeBigUInt64BE(BigInt(version));
  return sha256(Buffer.from(prevHash, 'hex'), v, digest).toString('hex');
};

const leafOf = (head) =>
  sha256(Buffer.from([0]), Buffer.from(jcs([head.streamId, head.version, head.hash]), 'utf8')).toString(
    'hex',
  );

const rootOf = (leaf, proof) =>
  proof.reduce((acc, step) => {
    const [l, r] = step.side === 'left' ? [step.hash, acc] : [acc, step.hash];
    return sha256(Buffer.from([1]), Buffer.from(l, 'hex'), Buffer.from(r, 'hex')).toString('hex');
  }, leaf);

/** The first broken link of the bundle, or null; `notes` gets what is intact but worth saying. */
const check = (bundle, trustedPem, notes) => {
  if (!bundle || bundle.format !== 'segur-audit-bundle/1' || !Array.isArray(bundle.events))
    return 'format de lot inconnu (segur-audit-bundle/1 attendu)';
  let prev = GENESIS;
  for (let i = 0; i < bundle.events.length; i++) {
    const e = bundle.events[i];
    const where = `événement ${e.id} (${e.type}, version ${e.streamVersion}, position ${e.position})`;
    if (e.streamId !== bundle.streamId) return `${where} : appartient au flux ${e.streamId}`;
    if (e.streamVersion !== i + 1)
      return `${where} : version ${i + 1} attendue (événement supprimé ou déplacé)`;
    if (e.prevHash !== prev) return `${where} : prevHash différent du hash de l'événement précédent`;
    if (linkOf(e.prevHash, e.streamVersion, digestOf(e)) !== e.hash)
      return `${where} : contenu modifié (hash recalculé différent)`;
    prev = e.hash;
  }
  if (!bundle.checkpoint || !bundle.leaf) {
    notes.push('chaîne intègre, mais aucun point de contrôle signé ne couvre encore ce flux');
    return null;
  }
  const { payload, signature, publicKey, id } = bundle.checkpoint;
  const pem = trustedPem || publicKey;
  let valid = false;
  try {
    valid = verify(
      null,
      Buffer.from(jcs(payload), 'utf8'),
      createPublicKey(pem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid)
    return `point de contrôle ${id} : signature Ed25519 invalide${trustedPem ? ' pour la clé publiée fournie' : ''}`;
  if (!trustedPem)
    notes.push(
      'signature vérifiée avec la clé contenue dans le lot : comparez-la à la clé publiée (--public-key)',
    );
  const leaf = bundle.leaf;
  if (leaf.streamId !== bundle.streamId)
    return `feuille du point de contrôle pour un autre flux (${leaf.streamId})`;
  if (rootOf(leafOf(leaf), bundle.proof || []) !== payload.root)
    return `point de contrôle ${id} : le chemin de Merkle ne mène pas à la racine signée`;
  const attested = bundle.events[leaf.version - 1];
  if (!attested)
    return `point de contrôle ${id} : la version ${leaf.version} attestée manque (événements supprimés)`;
  if (attested.hash !== leaf.hash)
    return `événement ${attested.id} (version ${leaf.version}) : hash différent de celui attesté par le point de contrôle ${id}`;
  const after = bundle.events.length - leaf.version;
  if (after > 0)
    notes.push(
      `${after} événement(s) postérieur(s) au point de contrôle ${id} : chaînés, pas encore attestés`,
    );
  return null;
};

const main = (argv) => {
  let file = null;
  let keyFile = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--public-key') keyFile = argv[++i];
    else if (file === null) file = argv[i];
  }
  if (!file) {
    process.stderr.write('usage : node verify-audit-bundle.js lot.json [--public-key cle.pem]\n');
    return 2;
  }
  let bundle;
  let trusted = null;
  try {
    bundle = JSON.parse(readFileSync(file, 'utf8'));
    if (keyFile) trusted = readFileSync(keyFile, 'utf8');
  } catch (error) {
    process.stderr.write(`Lot illisible : ${error.message}\n`);
    return 2;
  }
  const notes = [];
  const broken = check(bundle, trusted, notes);
  if (broken) {
    process.stdout.write(`ROMPU : ${broken}\n`);
    return 1;
  }
  const last = bundle.events[bundle.events.length - 1];
  const cp = bundle.checkpoint ? `, point de contrôle ${bundle.checkpoint.id}` : '';
  process.stdout.write(
    `INTÈGRE : ${bundle.events.length} événements du flux ${bundle.streamId}, jusqu'à la position ${last ? last.position : '(vide)'}${cp}\n`,
  );
  for (const n of notes) process.stdout.write(`  note : ${n}\n`);
  return 0;
};

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = { jcs, check };
