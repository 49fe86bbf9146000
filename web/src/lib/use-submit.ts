import { useCallback, useRef, useState } from 'react';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs one request for a form: `busy` disables the submit button, `error` holds the server's answer
 * until the next attempt. A second call while one is in flight is ignored (double clicks).
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inFlight = useRef(false);

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<Outcome<T>> => {
    if (inFlight.current) return { ok: false, error: new Error('busy') };
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      return { ok: true, value: await action() };
    } catch (caught) {
      setError(caught);
      return { ok: false, error: caught };
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}

/** After a failed client-side check, move focus to the first field flagged invalid. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
}
