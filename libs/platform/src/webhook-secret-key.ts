import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config';

/**
 * The AES-256 key that encrypts webhook signing secrets at rest: `WEBHOOK_SECRET_KEY` (mandatory
 * outside embedded mode, where API and workers must share it), or in embedded mode a key generated
 * once into `DATA_DIR/webhook-secret-key` (mode 0600), as the JWT secret is.
 */
export const webhookSecretKeyOf = (config: AppConfig): Buffer => {
  if (config.webhooks.secretKey !== null) return config.webhooks.secretKey;
  const file = join(config.dataDir, 'webhook-secret-key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
};
