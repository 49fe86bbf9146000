import { useCallback, useEffect, useRef, useState } from 'react';
import type { Country, Locale } from '../../../../../src/contracts/common';
import type { SafetyCheckResponse } from '../../../../../src/contracts/safety';
import { messagingApi } from '../api';

export const SAFETY_DEBOUNCE_MS = 400;

export type SafetyContext = { lang: Locale; country: Country };

export type RedFlag = { kind: string | null; numbers: SafetyCheckResponse['numbers'] };

/**
 * The red-flag check on a patient's draft: while they type (debounced) and once more on send. The
 * text goes to the server's /safety/check, which stores and logs nothing; nothing is kept here either.
 *
 * `flag` is the current alert (null when none). Confirming "not an emergency" acknowledges the flag
 * for this draft; a later check that recognises a different situation raises the alert again.
 */
export function useSafety(text: string, context: SafetyContext | null) {
  const [flag, setFlag] = useState<RedFlag | null>(null);
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const latest = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const check = useCallback(
    async (value: string): Promise<RedFlag | null> => {
      if (!context || value.trim().length < 3) return null;
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const ticket = ++latest.current;
      const result = await messagingApi.safetyCheck(
        { text: value, lang: context.lang, country: context.country },
        abort.signal,
      );
      const found = result.emergency ? { kind: result.kind, numbers: result.numbers } : null;
      if (ticket === latest.current) setFlag(found);
      return found;
    },
    [context],
  );

  useEffect(() => {
    if (!context) return;
    if (text.trim().length < 3) {
      latest.current += 1;
      setFlag(null);
      return;
    }
    const timer = setTimeout(() => {
      check(text).catch(() => {
        // Offline or unreachable: the check runs again on send, and the server checks too.
      });
    }, SAFETY_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, context, check]);

  useEffect(() => () => controller.current?.abort(), []);

  const kindKey = (value: RedFlag | null) => (value ? (value.kind ?? 'emergency') : null);

  return {
    /** The alert to show now: a flag not yet acknowledged. */
    alert: flag && kindKey(flag) !== acknowledged ? flag : null,
    /** Whether the patient said this draft's situation is not an emergency. */
    isAcknowledged: (value: RedFlag | null) => value !== null && kindKey(value) === acknowledged,
    acknowledged: acknowledged !== null,
    acknowledge: (value: RedFlag | null) => setAcknowledged(kindKey(value ?? flag)),
    /** Shows the alert for a flag found on send or answered by the server (422). */
    raise: (value: RedFlag) => {
      latest.current += 1;
      setFlag(value);
    },
    reset: () => {
      latest.current += 1;
      controller.current?.abort();
      setFlag(null);
      setAcknowledged(null);
    },
    check,
  };
}
