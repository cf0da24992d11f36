import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditSigningKeyOf, loadAuditSettings } from './audit-settings';

describe('AUDIT_SIGNING_KEY et AUDIT_CHECKPOINT_INTERVAL', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

  it('accepte une clé Ed25519 en PEM ou en DER base64, et PT1H par défaut', () => {
    for (const raw of [pem, der]) {
      const s = loadAuditSettings({ AUDIT_SIGNING_KEY: raw });
      expect(s.signingKey?.asymmetricKeyType).toBe('ed25519');
      expect(s.checkpointIntervalMs).toBe(3600_000);
    }
    expect(loadAuditSettings({}).signingKey).toBeNull();
  });

  it('refuse en français une clé illisible ou d’un autre type, sans la recopier', () => {
    expect(() => loadAuditSettings({ AUDIT_SIGNING_KEY: 'pas-une-cle' })).toThrow(
      /AUDIT_SIGNING_KEY.*clé privée Ed25519 attendue.*illisible/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(() => loadAuditSettings({ AUDIT_SIGNING_KEY: rsa.toString() })).toThrow(/reçu une clé rsa/);
    expect(() => loadAuditSettings({ AUDIT_CHECKPOINT_INTERVAL: 'PT1S' })).toThrow(
      /AUDIT_CHECKPOINT_INTERVAL.*entre PT1M et P7D/,
    );
  });

  it('en mode embarqué sans clé, en génère une dans DATA_DIR (0600) et la relit ensuite', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const config = { audit: loadAuditSettings({}), dataDir, embedded: true };
    const first = auditSigningKeyOf(config);
    expect(statSync(join(dataDir, 'audit-signing-key.pem')).mode & 0o777).toBe(0o600);
    const again = auditSigningKeyOf(config);
    expect(again?.export({ type: 'pkcs8', format: 'der' })).toEqual(
      first?.export({ type: 'pkcs8', format: 'der' }),
    );
    expect(auditSigningKeyOf({ ...config, embedded: false })).toBeNull();
  });
});
