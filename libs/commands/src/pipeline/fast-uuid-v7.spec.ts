import { validate, version } from 'uuid';
import { fastUuidV7 } from './fast-uuid-v7';

describe('fastUuidV7', () => {
  it('gives valid version-7, RFC-variant UUIDs', () => {
    for (let i = 0; i < 1000; i++) {
      const id = fastUuidV7();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect('89ab').toContain(id.charAt(19));
      expect(id).toBe(id.toLowerCase());
    }
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const id = fastUuidV7();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('is strictly increasing and unique over many ids in the same milliseconds', () => {
    const ids = Array.from({ length: 50_000 }, () => fastUuidV7());
    const outOfOrder = ids.findIndex((id, i) => i > 0 && !((ids[i - 1] as string) < id));
    expect(outOfOrder).toBe(-1);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
