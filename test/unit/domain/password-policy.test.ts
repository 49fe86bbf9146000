import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../../src/domain/password-policy';
import { isCommonPassword } from '../../../src/platform/crypto/common-passwords';

describe('password policy', () => {
  const check = (password: string, personal: string[] = []) =>
    checkPassword(password, isCommonPassword, personal);

  it('requires at least 12 characters, counting accented letters and emoji as one', () => {
    expect(check('short pass')).toBe('too_short');
    expect(check('élève élève')).toBe('too_short');
    expect(check('élève élève!')).toBeNull();
    expect(check('🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂')).toBe('too_short');
  });

  it('refuses the most common passwords, whatever their case', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(check('123456789012')).toBe('too_common');
    expect(check('PASSWORD1234')).toBe('too_common');
    expect(check('qwertyuiop12')).toBe('too_common');
  });

  it('refuses repeated patterns and a common word padded with digits', () => {
    expect(check('aaaaaaaaaaaa')).toBe('too_common');
    expect(check('abcabcabcabc')).toBe('too_common');
    expect(check('sunshine2024!')).toBe('too_common');
  });

  it("refuses the person's own name padded to length", () => {
    expect(check('bernadette1234', ['Bernadette'])).toBe('too_common');
    expect(check('bernadette loves tea', ['Bernadette'])).toBeNull();
  });

  it('accepts long passphrases without composition rules', () => {
    expect(check('correct horse battery staple')).toBeNull();
    expect(check('il pleut sur Lyon ce matin')).toBeNull();
  });
});
