import { randomFillSync } from 'node:crypto';

// Why not `uuid`'s v7 here: an import takes three ids per line (command, two pieces), and the
// library fills a fresh 16-byte random block and formats through a byte array for each one, which
// shows in an import's profile (see docs/performance.md, "Figures behind design choices"). This
// one draws its random bytes from a 4 KiB pool filled by the same CSPRNG and writes the 36 ASCII
// characters into a reused buffer read back as one flat string (joining 20 pieces with + made a
// rope that every later JSON.stringify had to flatten: slower than the library once serialised).
// The ids stay RFC 9562 version 7 and monotonic within the process (Method 1, a counter in the
// bits after the timestamp, randomly seeded at each new millisecond, as the library does), and
// keep 44 random bits besides, so two processes do not collide either.

/** ASCII codes of the two hex digits of each byte. */
const HEX = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  const h = i.toString(16).padStart(2, '0');
  HEX[2 * i] = h.charCodeAt(0);
  HEX[2 * i + 1] = h.charCodeAt(1);
}

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

const randomAt = (n: number): number => {
  if (poolOffset + n > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += n;
  return at;
};

const text = Buffer.alloc(36);
for (const dash of [8, 13, 18, 23]) text[dash] = 0x2d;

/** Writes byte `b` as two hex digits at `at`. */
const put = (at: number, b: number): void => {
  const i = (b & 0xff) * 2;
  text[at] = HEX[i] as number;
  text[at + 1] = HEX[i + 1] as number;
};

/** 30-bit counter: 4 bits in byte 6, 8 in byte 7, 6 in byte 8, 8 in byte 9, 4 in byte 10. */
const SEQ_MAX = 0x3fffffff;
let lastMs = -1;
let seq = 0;

/** A UUIDv7 string (lowercase, dashed), greater than the previous one of this process. */
export const fastUuidV7 = (): string => {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    // Seeded below half the range: at least 2^29 ids in one millisecond before it overflows.
    seq = pool.readUInt32BE(randomAt(4)) & 0x1fffffff;
  } else if (++seq > SEQ_MAX) {
    // Counter exhausted (or the clock went back): borrow the next millisecond, as `uuid` does.
    lastMs++;
    seq = pool.readUInt32BE(randomAt(4)) & 0x1fffffff;
  }
  const hi = Math.floor(lastMs / 0x10000); // top 32 bits of the 48-bit timestamp
  const lo = lastMs & 0xffff;
  const r = randomAt(6);
  put(0, hi >>> 24);
  put(2, hi >>> 16);
  put(4, hi >>> 8);
  put(6, hi);
  put(9, lo >>> 8);
  put(11, lo);
  put(14, 0x70 | ((seq >>> 26) & 0x0f));
  put(16, seq >>> 18);
  put(19, 0x80 | ((seq >>> 12) & 0x3f));
  put(21, seq >>> 4);
  put(24, ((seq & 0x0f) << 4) | ((pool[r] as number) & 0x0f));
  put(26, pool[r + 1] as number);
  put(28, pool[r + 2] as number);
  put(30, pool[r + 3] as number);
  put(32, pool[r + 4] as number);
  put(34, pool[r + 5] as number);
  return text.toString('latin1', 0, 36);
};
