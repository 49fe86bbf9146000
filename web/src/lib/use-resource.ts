import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'failed'; error: unknown };

/**
 * Loads data for a page and keeps it in state; `setData` lets the page apply the result of its own
 * changes without reloading, `reload` fetches again.
 */
export function useResource<T>(load: () => Promise<T>, key: string) {
  const [resource, setResource] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies what `load` fetches; `attempt` forces a reload.
  useEffect(() => {
    let current = true;
    setResource({ status: 'loading' });
    load().then(
      (data) => {
        if (current) setResource({ status: 'ready', data });
      },
      (error: unknown) => {
        if (current) setResource({ status: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const setData: Dispatch<SetStateAction<T>> = useCallback((update) => {
    setResource((previous) => {
      if (previous.status !== 'ready') return previous;
      const data = typeof update === 'function' ? (update as (value: T) => T)(previous.data) : update;
      return { status: 'ready', data };
    });
  }, []);

  const reload = useCallback(() => setAttempt((value) => value + 1), []);

  return { resource, setData, reload };
}
