import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { boundedMs } from './config-duration';

export interface AuditSettings {
  /**
   * The Ed25519 key that signs audit checkpoints (`AUDIT_SIGNING_KEY`, PKCS#8 in PEM or base64
   * DER); null when unset: generated into DATA_DIR in embedded mode (auditSigningKeyOf), else no
   * checkpoint is signed (docs/audit.md).
   */
  signingKey: KeyObject | null;
  /** Between two checkpoints made by the worker (`AUDIT_CHECKPOINT_INTERVAL`, default PT1H). */
  checkpointIntervalMs: number;
}

const WRONG_KEY = 'clé privée Ed25519 attendue (PKCS#8 en PEM, ou son DER en base64)';

/** An Ed25519 private key from its PEM or base64 DER (PKCS#8) text; never echoes the value. */
export const parseSigningKey = (raw: string, name = 'AUDIT_SIGNING_KEY'): KeyObject => {
  let key: KeyObject;
  try {
    key = raw.includes('-----BEGIN')
      ? createPrivateKey(raw.replace(/\\n/g, '\n'))
      : createPrivateKey({ key: Buffer.from(raw.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new ConfigError(name, `${WRONG_KEY} : illisible`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(name, `${WRONG_KEY}, reçu une clé ${key.asymmetricKeyType ?? 'inconnue'}`);
  return key;
};

export const loadAuditSettings = (env: NodeJS.ProcessEnv): AuditSettings => {
  const raw = env.AUDIT_SIGNING_KEY;
  return {
    signingKey: raw === undefined || raw.trim() === '' ? null : parseSigningKey(raw),
    checkpointIntervalMs: boundedMs(
      env,
      'AUDIT_CHECKPOINT_INTERVAL',
      'PT1H',
      [60_000, 'PT1M'],
      [7 * 24 * 3600_000, 'P7D'],
    ),
  };
};

/**
 * The checkpoint signing key: AUDIT_SIGNING_KEY, or in embedded mode one generated once into
 * `DATA_DIR/audit-signing-key.pem` (mode 0600) as the webhook key is; null otherwise.
 */
export const auditSigningKeyOf = (config: {
  audit: AuditSettings;
  dataDir: string;
  embedded: boolean;
}): KeyObject | null => {
  if (config.audit.signingKey) return config.audit.signingKey;
  if (!config.embedded) return null;
  const file = join(config.dataDir, 'audit-signing-key.pem');
  if (existsSync(file)) return parseSigningKey(readFileSync(file, 'utf8'), file);
  mkdirSync(config.dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(file, 0o600);
  return privateKey;
};
