import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

/** About 50,000 of the most used passwords, shipped with @zxcvbn-ts/language-common. */
export function isCommonPassword(lowercased: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common.has(lowercased);
}
