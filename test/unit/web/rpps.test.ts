import { describe, expect, it } from 'vitest';
import { isValidRpps, normaliseRpps } from '../../../web/src/lib/rpps';

/** Appends the Luhn check digit to 10 digits, to build valid numbers without hard-coding real ones. */
function withCheckDigit(body: string): string {
  for (let digit = 0; digit <= 9; digit += 1) {
    if (isValidRpps(`${body}${digit}`)) return `${body}${digit}`;
  }
  throw new Error('no check digit found');
}

describe('RPPS number check', () => {
  it('accepts 11 digits whose last one is the Luhn check digit', () => {
    expect(isValidRpps('10003631529')).toBe(true);
    expect(isValidRpps(withCheckDigit('1000000000'))).toBe(true);
  });

  it('rejects a single mistyped digit', () => {
    const valid = withCheckDigit('1012345678');
    const mistyped = `${valid.slice(0, 4)}${(Number(valid[4]) + 1) % 10}${valid.slice(5)}`;
    expect(isValidRpps(mistyped)).toBe(false);
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(isValidRpps('1000363152')).toBe(false);
    expect(isValidRpps('100036315200')).toBe(false);
    expect(isValidRpps('1000363152a')).toBe(false);
    expect(isValidRpps('')).toBe(false);
  });

  it('ignores spaces typed between groups of digits', () => {
    const valid = withCheckDigit('1000000000');
    const spaced = `${valid.slice(0, 3)} ${valid.slice(3, 7)} ${valid.slice(7)}`;
    expect(normaliseRpps(spaced)).toBe(valid);
    expect(isValidRpps(spaced)).toBe(true);
  });
});
