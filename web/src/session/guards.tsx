import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { MfaState, UserKind } from '../../../src/contracts/accounts';
import { PageLoading } from '../components/spinner';
import { rememberReturnTo } from '../lib/return-to';
import { destinationFor, homePathFor, mfaStepPath } from './routing';
import { useSession } from './session';

function Loading() {
  const { t } = useTranslation();
  return <PageLoading label={t('common.loading')} />;
}

/** Signed-in pages: signed-out visitors go to sign in (their path is kept), a pending 2-step goes to its screen. */
export function RequireSignedIn() {
  const { me, status, signedOutByUser } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (!me) {
    if (signedOutByUser) return <Navigate to="/" replace />;
    rememberReturnTo(location.pathname + location.search);
    return <Navigate to="/signin" replace />;
  }
  const step = mfaStepPath(me);
  if (step) {
    rememberReturnTo(location.pathname + location.search);
    return <Navigate to={step} replace />;
  }
  return <Outlet />;
}

/** Pages for one kind of account only (administration); anyone else is sent home. */
export function RequireKind({ kinds }: { kinds: readonly UserKind[] }) {
  const { me } = useSession();
  if (!me) return <Navigate to="/signin" replace />;
  if (!kinds.includes(me.user.kind)) return <Navigate to={homePathFor(me)} replace />;
  return <Outlet />;
}

/** The two second-factor screens: reachable only in the matching state. */
export function RequireMfaState({ state }: { state: MfaState }) {
  const { me, status, signedOutByUser } = useSession();
  if (status === 'loading') return <Loading />;
  if (!me) return <Navigate to={signedOutByUser ? '/' : '/signin'} replace />;
  if (me.mfa !== state) return <Navigate to={destinationFor(me)} replace />;
  return <Outlet />;
}

/** Landing, sign-in, sign-up: a signed-in person is taken to where they belong. */
export function RedirectIfSignedIn() {
  const { me, status } = useSession();
  if (status === 'loading') return <Loading />;
  if (me) return <Navigate to={destinationFor(me)} replace />;
  return <Outlet />;
}
