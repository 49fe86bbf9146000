const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.trim().length <= 254 && EMAIL_PATTERN.test(value.trim());
}

export function isTotpCode(value: string): boolean {
  return /^\d{6}$/.test(value.trim());
}

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}
