/** Removes the spaces people type when copying an RPPS number from a card or a letter. */
export function normaliseRpps(value: string): string {
  return value.replace(/\s+/g, '');
}

/**
 * The French RPPS number: 11 digits, the last one a Luhn check digit. Same rule as the server, so the
 * form can say at once that a number was mistyped.
 */
export function isValidRpps(value: string): boolean {
  const digits = normaliseRpps(value);
  if (!/^\d{11}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
