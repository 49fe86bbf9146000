import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../../src/platform/crypto/random';
import { uuidv7 } from '../../src/platform/ids';

describe('identifiers', () => {
  it('are valid version 7 UUIDs, unique and in creation order, many within one millisecond', () => {
    const ids = Array.from({ length: 50_000 }, () => uuidv7());
    for (const id of [ids[0]!, ids[25_000]!, ids.at(-1)!]) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
  });

  it('carry the time they were made', () => {
    const before = Date.now();
    const id = uuidv7();
    const msecs = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});

describe('pooled random bytes', () => {
  it('hands out each slice once, across refills of the pool', () => {
    const slices = Array.from({ length: 2_000 }, () => pooledRandomBytes(16).toString('hex'));
    expect(slices.every((s) => s.length === 32)).toBe(true);
    expect(new Set(slices).size).toBe(slices.length);
  });
});
