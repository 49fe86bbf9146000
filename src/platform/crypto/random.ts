import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically random bytes drawn from the system a page at a time: asking it for 12 or 16 bytes per
 * record costs more than the work done with them on bulk writes (a campaign's hundreds of thousands of
 * identifiers and nonces). Every slice is copied out and handed out once.
 */
const pool = { bytes: Buffer.alloc(4_096), used: 4_096 };

export function pooledRandomBytes(size: number): Buffer {
  if (size > pool.bytes.length) throw new RangeError('pooledRandomBytes: size larger than the pool');
  if (pool.used + size > pool.bytes.length) {
    randomFillSync(pool.bytes);
    pool.used = 0;
  }
  const slice = Buffer.from(pool.bytes.subarray(pool.used, pool.used + size));
  pool.used += size;
  return slice;
}
