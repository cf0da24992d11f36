import { isPdf } from './pdf';

describe('isPdf', () => {
  it('recognises the %PDF- header at the start', () => {
    expect(isPdf(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBe(true);
  });

  it('refuses a header that is not the first bytes, even one byte in', () => {
    expect(isPdf(Buffer.concat([Buffer.from(' '), Buffer.from('%PDF-1.4')]))).toBe(false);
    expect(isPdf(Buffer.concat([Buffer.from('<html>'), Buffer.from('%PDF-1.4')]))).toBe(false);
    expect(isPdf(Buffer.concat([Buffer.alloc(512, 0x20), Buffer.from('%PDF-1.4')]))).toBe(false);
  });

  it('refuses a non-PDF whatever its name would say', () => {
    expect(isPdf(Buffer.from('PK\u0003\u0004 word document'))).toBe(false);
    expect(isPdf(Buffer.from('%PDF'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });

  it('accepts a file of exactly the five header bytes, and none shorter', () => {
    expect(isPdf(Buffer.from('%PDF-'))).toBe(true);
    expect(isPdf(Buffer.from('%PDF'))).toBe(false);
  });

  it('refuses a header with any one of its five bytes wrong', () => {
    expect(isPdf(Buffer.from('#PDF-1.7'))).toBe(false);
    expect(isPdf(Buffer.from('%XDF-1.7'))).toBe(false);
    expect(isPdf(Buffer.from('%PXF-1.7'))).toBe(false);
    expect(isPdf(Buffer.from('%PDX-1.7'))).toBe(false);
    expect(isPdf(Buffer.from('%PDF_1.7'))).toBe(false);
    expect(isPdf(Buffer.from('%pdf-1.7'))).toBe(false);
  });
});
