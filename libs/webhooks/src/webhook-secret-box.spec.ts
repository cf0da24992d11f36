import { randomBytes } from 'node:crypto';
import { WebhookSecretBox } from './webhook-secret-box';

describe('WebhookSecretBox: signing secrets encrypted at rest (AES-256-GCM)', () => {
  const box = new WebhookSecretBox(randomBytes(32));
  const secret = 'whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

  it('seals to a value that does not hold the secret, and opens it back', () => {
    const sealed = box.seal(secret);
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(box.open(sealed)).toBe(secret);
    // A nonce per value: the same secret never seals the same way twice.
    expect(box.seal(secret)).not.toBe(sealed);
  });

  it('another key cannot open it, and a tampered value is refused', () => {
    const sealed = box.seal(secret);
    expect(() => new WebhookSecretBox(randomBytes(32)).open(sealed)).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered)).toThrow();
  });

  it('reads a secret stored before encryption as it is', () => {
    expect(box.open(secret)).toBe(secret);
    expect(WebhookSecretBox.isSealed(secret)).toBe(false);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new WebhookSecretBox(randomBytes(16))).toThrow();
  });
});
