import { describe, expect, it } from 'vitest';
import { isValidRpps, luhnCheckDigit, nationalPractitionerId, normaliseRpps } from '../../../src/domain/rpps';

describe('RPPS numbers', () => {
  it('computes the Luhn check digit', () => {
    // The textbook Luhn example: payload 7992739871 has check digit 3.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    // 1 0 0 0 0 0 0 0 0 1: doubling from the right gives 2 + 1 = 3 → check digit 7.
    expect(luhnCheckDigit('1000000001')).toBe(7);
    expect(luhnCheckDigit('0000000000')).toBe(0);
  });

  it('accepts 11 digits whose last digit is the Luhn check digit', () => {
    expect(isValidRpps('10000000017')).toBe(true);
    expect(isValidRpps('79927398713')).toBe(true);
  });

  it('ignores spaces, dots and dashes people type', () => {
    expect(normaliseRpps(' 100 000 000 17 ')).toBe('10000000017');
    expect(isValidRpps('100.000.000-17')).toBe(true);
  });

  it('refuses a wrong check digit, the wrong length or non-digits', () => {
    expect(isValidRpps('10000000018')).toBe(false);
    expect(isValidRpps('1000000001')).toBe(false);
    expect(isValidRpps('100000000170')).toBe(false);
    expect(isValidRpps('1000000001A')).toBe(false);
    expect(isValidRpps('')).toBe(false);
  });

  it('builds the national practitioner id as 8 followed by the RPPS', () => {
    expect(nationalPractitionerId('10000000017')).toBe('810000000017');
  });
});
