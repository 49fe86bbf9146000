import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { MeResponse } from '../../../src/contracts/accounts';
import type { Locale } from '../../../src/contracts/common';
import { onSessionSignal } from '../api/client';
import { authApi, meApi } from '../api/endpoints';
import { unsubscribeThisBrowser } from '../features/notifications/push';
import { readSavedLocale, saveLocale } from '../i18n/locale';
import { currentLocale } from '../i18n/setup';
import { clearReturnTo } from '../lib/return-to';

type SessionStatus = 'loading' | 'ready' | 'unreachable';

type SessionContextValue = {
  status: SessionStatus;
  /** The signed-in person, or null when signed out. */
  me: MeResponse | null;
  /** True when the server ended the session (expired, signed out elsewhere) while the app was open. */
  expired: boolean;
  /** True right after the person signed out themselves (they go to the landing page, not to sign-in). */
  signedOutByUser: boolean;
  setMe: (me: MeResponse | null) => void;
  refresh: () => Promise<MeResponse | null>;
  signOut: () => Promise<void>;
  locale: Locale;
  changeLocale: (locale: Locale) => void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

/** Whether the session may change account settings (a pending second factor blocks everything else). */
export function isFullySignedIn(me: MeResponse | null): me is MeResponse {
  return me !== null && (me.mfa === 'not_required' || me.mfa === 'verified');
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [me, setMeState] = useState<MeResponse | null>(null);
  const meRef = useRef<MeResponse | null>(null);
  useEffect(() => {
    meRef.current = me;
  }, [me]);
  const [expired, setExpired] = useState(false);
  const [signedOutByUser, setSignedOutByUser] = useState(false);
  const [locale, setLocale] = useState<Locale>(currentLocale());

  useEffect(() => {
    const update = () => setLocale(currentLocale());
    i18n.on('languageChanged', update);
    return () => i18n.off('languageChanged', update);
  }, [i18n]);

  const setMe = useCallback(
    (next: MeResponse | null) => {
      setMeState(next);
      if (next) {
        setExpired(false);
        setSignedOutByUser(false);
        // The account's language applies unless a language was chosen on this device.
        if (!readSavedLocale() && next.user.locale !== currentLocale())
          void i18n.changeLanguage(next.user.locale);
      }
    },
    [i18n],
  );

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await meApi.current(signal);
        setMe(next);
        setStatus('ready');
        return next;
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') return null;
        setStatus('unreachable');
        return null;
      }
    },
    [setMe],
  );

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load]);

  useEffect(
    () =>
      onSessionSignal((signal) => {
        if (signal === 'unauthenticated') {
          setExpired(meRef.current !== null);
          setMeState(null);
        } else {
          void load();
        }
      }),
    [load],
  );

  const signOut = useCallback(async () => {
    // A browser left signed out (a shared computer) must not keep showing this account's notices.
    await unsubscribeThisBrowser().catch(() => undefined);
    try {
      await authApi.logout();
    } catch {
      // Signed out locally whatever the server says: the cookie is HttpOnly and expires on its own.
    }
    clearReturnTo();
    setExpired(false);
    setSignedOutByUser(true);
    setMeState(null);
  }, []);

  const changeLocale = useCallback(
    (next: Locale) => {
      saveLocale(next);
      void i18n.changeLanguage(next);
      if (isFullySignedIn(me) && me.user.locale !== next) {
        meApi.update({ locale: next }).then(
          (updated) => setMeState(updated),
          () => {
            // The interface already switched; the account keeps its previous language for e-mails.
          },
        );
      }
    },
    [i18n, me],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      status,
      me,
      expired,
      signedOutByUser,
      setMe,
      refresh: () => load(),
      signOut,
      locale,
      changeLocale,
    }),
    [status, me, expired, signedOutByUser, setMe, load, signOut, locale, changeLocale],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
