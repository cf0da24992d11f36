/**
 * The PDF specification (ISO 32000, 7.5.2 / implementation note) lets readers find the header
 * `%PDF-` anywhere in the first 1024 bytes, because some producers prepend garbage; the file name's
 * extension proves nothing, so pieces are checked on their bytes.
 */
export const PDF_HEADER_WINDOW = 1024;
const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

export const isPdf = (buffer: Uint8Array): boolean => {
  const end = Math.min(buffer.length, PDF_HEADER_WINDOW) - MAGIC.length;
  for (let i = 0; i <= end; i++) {
    let j = 0;
    while (j < MAGIC.length && buffer[i + j] === MAGIC[j]) j++;
    if (j === MAGIC.length) return true;
  }
  return false;
};
