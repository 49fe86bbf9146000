const KEY = 'missive.returnTo';

/** Paths that make no sense to come back to after signing in. */
const NOT_RETURNABLE = ['/', '/signin', '/signup', '/forgot-password', '/security/enrol', '/security/verify'];

function isSafePath(path: string): boolean {
  return (
    path.startsWith('/') && !path.startsWith('//') && !NOT_RETURNABLE.includes(path.split(/[?#]/)[0] ?? '')
  );
}

/** Remembers where a signed-out visitor wanted to go, to take them there after signing in. */
export function rememberReturnTo(path: string): void {
  if (!isSafePath(path)) return;
  try {
    sessionStorage.setItem(KEY, path);
  } catch {
    // Storage can be unavailable (private mode, disabled): the person simply lands on their home page.
  }
}

export function peekReturnTo(): string | null {
  try {
    const path = sessionStorage.getItem(KEY);
    return path && isSafePath(path) ? path : null;
  } catch {
    return null;
  }
}

export function clearReturnTo(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing remembered, nothing to clear.
  }
}
