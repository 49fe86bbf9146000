/**
 * Links sent by e-mail carry their token in the URL fragment (`#token=…`) so it never reaches server
 * logs. The token is read once, then wiped from the address bar and the history entry; later calls on
 * the same page get the remembered value (React may render a page twice).
 */
let remembered: { path: string; token: string } | null = null;

export function readLinkToken(): string | null {
  const { pathname, search, hash } = window.location;
  const fragment = hash.replace(/^#/, '');
  if (fragment.length > 0) {
    const token = new URLSearchParams(fragment).get('token');
    window.history.replaceState(window.history.state, '', pathname + search);
    if (token) remembered = { path: pathname, token };
  }
  return remembered?.path === pathname ? remembered.token : null;
}

/** Forget the token once it has been used. */
export function forgetLinkToken(): void {
  remembered = null;
}

/**
 * A link token that must survive a detour through sign-in or sign-up (same tab only): kept in session
 * storage under `key` until `forgetStoredLinkToken(key)`.
 */
export function readStoredLinkToken(key: string): string | null {
  const fromLink = readLinkToken();
  try {
    if (fromLink) sessionStorage.setItem(key, fromLink);
    return fromLink ?? sessionStorage.getItem(key);
  } catch {
    return fromLink;
  }
}

export function forgetStoredLinkToken(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing stored.
  }
}
