import type { MeResponse } from '../../../src/contracts/accounts';
import { peekReturnTo } from '../lib/return-to';

export const ENROL_PATH = '/security/enrol';
export const VERIFY_PATH = '/security/verify';

/** Where a signed-in person starts: administrators administer, everyone else has a home page. */
export function homePathFor(me: MeResponse): string {
  return me.user.kind === 'admin' ? '/admin' : '/home';
}

/** The screen a pending second factor forces, if any. */
export function mfaStepPath(me: MeResponse): string | null {
  if (me.mfa === 'enrolment_required') return ENROL_PATH;
  if (me.mfa === 'required') return VERIFY_PATH;
  return null;
}

/**
 * Where a signed-in person belongs right now: the pending 2-step screen, else the page they wanted
 * before signing in (cleared once reached), else their home.
 */
export function destinationFor(me: MeResponse): string {
  return mfaStepPath(me) ?? peekReturnTo() ?? homePathFor(me);
}
