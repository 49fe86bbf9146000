import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~20 ms here, small enough for login bursts.
// algorithm 2 is Argon2id (the package's const enum cannot be imported under isolated modules).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A fixed hash to verify against when the account does not exist, so that the response time does not
 * reveal whether an e-mail address is registered.
 */
let decoy: Promise<string> | undefined;
export async function verifyDecoyPassword(password: string): Promise<void> {
  decoy ??= hashPassword('missive-decoy-password-not-used');
  await verifyPassword(await decoy, password);
}
