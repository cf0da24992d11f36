import { isPdf } from './pdf';

describe('isPdf', () => {
  it('recognises the %PDF- header at the start', () => {
    expect(isPdf(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBe(true);
  });

  it('accepts the header after up to 1024 bytes of leading garbage, not beyond', () => {
    expect(isPdf(Buffer.concat([Buffer.alloc(1019, 0x20), Buffer.from('%PDF-1.4')]))).toBe(true);
    expect(isPdf(Buffer.concat([Buffer.alloc(1020, 0x20), Buffer.from('%PDF-1.4')]))).toBe(false);
  });

  it('refuses a non-PDF whatever its name would say', () => {
    expect(isPdf(Buffer.from('PK\u0003\u0004 word document'))).toBe(false);
    expect(isPdf(Buffer.from('%PDF'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });
});
