import { describe, expect, it } from 'vitest';
import { findNul } from '../../src/platform/http/input-guard';

describe('NUL characters in input', () => {
  it('are found wherever they sit, and named by their path', () => {
    expect(findNul({ firstName: 'Jeanne', lastName: 'Pe\u0000tit' })).toBe('lastName');
    expect(findNul({ audience: { tags: ['ok', 'n\u0000o'] } })).toBe('audience.tags.1');
    expect(findNul('csv;with\u0000nul')).toBe('');
    expect(findNul({ 'k\u0000ey': 1 })).toBe('key');
  });

  it('leave clean input, buffers and deep nesting alone', () => {
    let deep: unknown = 'end';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findNul(deep)).toBeNull();
    expect(findNul({ name: 'Zoé 🙂', n: 0, list: [null, true, 1.5] })).toBeNull();
    expect(findNul(Buffer.from([0, 0, 0]))).toBeNull();
    expect(findNul(undefined)).toBeNull();
  });
});
