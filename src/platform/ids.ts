import { v7 } from 'uuid';
import { pooledRandomBytes } from './crypto/random';

/** Millisecond and counter of the last identifier, so that identifiers made in one millisecond still sort in order. */
const last = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * A UUID version 7 (RFC 9562): time-ordered, monotonic within this process, its random part drawn from
 * a pooled buffer (the library draws 16 bytes from the system per call, which dominated bulk writes).
 * Within one millisecond the counter is incremented; when it wraps, the time moves on by one.
 */
export function uuidv7(): string {
  const random = pooledRandomBytes(16);
  const now = Date.now();
  if (now > last.msecs) {
    last.msecs = now;
    // A fresh counter per millisecond starts at a random 31-bit value, as the library does.
    last.seq = random.readUInt32BE(6) & 0x7fffffff;
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs++;
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}
