/**
 * A piece is a PDF when its very first bytes are `%PDF-`. Readers tolerate the header anywhere in
 * the first kilobyte (ISO 32000, 7.5.2 implementation note), but a file with bytes before it is a
 * polyglot in the making (an HTML or ZIP head a browser or another tool would honour): pieces are
 * stored and served back to people, so only a clean header is accepted. The file name's extension
 * proves nothing, so pieces are checked on their bytes.
 */
const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export const isPdf = (buffer: Uint8Array): boolean =>
  buffer.length >= MAGIC.length && MAGIC.every((b, i) => buffer[i] === b);
