/** Same minimum as the server's policy; whether a password is too common is checked by the server. */
export const PASSWORD_MIN_LENGTH = 12;

export function passwordLength(password: string): number {
  return [...password].length;
}

export function isLongEnough(password: string): boolean {
  return passwordLength(password) >= PASSWORD_MIN_LENGTH;
}
