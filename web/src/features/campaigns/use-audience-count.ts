import { useEffect, useState } from 'react';
import { type AudienceCount, campaignsApi } from './api';
import { type Audience, audienceKey } from './audience-form';

export type LiveCount =
  | { status: 'idle' }
  | { status: 'counting'; last: AudienceCount | null }
  | { status: 'ready'; count: AudienceCount }
  | { status: 'failed'; error: unknown };

const DEBOUNCE_MS = 350;

/**
 * The number of recipients of the audience being edited: asked again a moment after the last change, the
 * previous request abandoned, the previous count kept on screen meanwhile.
 */
export function useAudienceCount(practiceId: string, audience: Audience | null, sendAt: number | undefined) {
  const [state, setState] = useState<LiveCount>({ status: 'idle' });
  const key = audience ? `${audienceKey(audience)}|${sendAt ?? ''}` : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the audience and the send date.
  useEffect(() => {
    if (!audience) return;
    const controller = new AbortController();
    setState((previous) => ({
      status: 'counting',
      last:
        previous.status === 'ready' ? previous.count : previous.status === 'counting' ? previous.last : null,
    }));
    const timer = setTimeout(() => {
      campaignsApi.count(practiceId, audience, sendAt, controller.signal).then(
        (count) => setState({ status: 'ready', count }),
        (error: unknown) => {
          if (!controller.signal.aborted) setState({ status: 'failed', error });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [practiceId, key]);

  return state;
}
