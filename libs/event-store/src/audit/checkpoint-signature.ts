import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './chain-hash';
import type { CheckpointPayload } from './audit-log.port';

/** Ed25519 signature (base64) of the payload's JCS text. */
export const signCheckpoint = (payload: CheckpointPayload, privateKey: KeyObject): string =>
  sign(null, Buffer.from(canonicalJson(payload), 'utf8'), privateKey).toString('base64');

export const checkpointSignatureValid = (
  payload: CheckpointPayload,
  signature: string,
  publicKeyPem: string,
): boolean => {
  try {
    return verify(
      null,
      Buffer.from(canonicalJson(payload), 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
};

/** The SPKI PEM of an Ed25519 private key: what is published. */
export const publicKeyPemOf = (privateKey: KeyObject): string =>
  createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
