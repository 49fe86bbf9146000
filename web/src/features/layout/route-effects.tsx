import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { clearReturnTo, peekReturnTo } from '../../lib/return-to';

/**
 * After each navigation: scroll to the top and move focus to the new page's heading, so keyboard and
 * screen-reader users start at the new content. Also forgets the "return to" path once it is reached.
 */
export function RouteEffects() {
  const { pathname, search } = useLocation();
  const first = useRef(true);

  useEffect(() => {
    if (peekReturnTo() === pathname + search) clearReturnTo();
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const frame = requestAnimationFrame(() => {
      const heading = document.getElementById('page-title') ?? document.getElementById('main');
      heading?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname, search]);

  return null;
}
