import { useEffect } from 'react';

/** Calls `tick` every `intervalMs` while `active` (a campaign is sending), and not while the tab is hidden. */
export function usePolling(active: boolean, tick: () => void, intervalMs = 2_000): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') tick();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, tick, intervalMs]);
}
