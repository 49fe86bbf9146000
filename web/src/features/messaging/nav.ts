import { useCallback, useEffect, useState } from 'react';
import type { Membership, MeResponse } from '../../../../src/contracts/accounts';
import { messagingApi } from './api';
import { onLocalEvent, watch } from './live';

export type MessagingBadges = {
  /** Patients: unread messages in all their (and their relatives') conversations. */
  patient: number;
  /** Staff: unread count per practice with the messaging right. */
  practices: Record<string, number>;
};

const EMPTY: MessagingBadges = { patient: 0, practices: {} };

function messagingPractices(me: MeResponse): Membership[] {
  return me.memberships.filter((membership) => membership.rights.includes('messaging'));
}

/** Whether the signed-in person may use messaging at all (and so whether to ask for badges). */
function usesMessaging(me: MeResponse | null): me is MeResponse {
  if (!me || (me.mfa !== 'not_required' && me.mfa !== 'verified')) return false;
  return me.user.kind === 'patient' || (me.user.kind === 'staff' && messagingPractices(me).length > 0);
}

/**
 * The unread badges of the navigation, refreshed through the live module and at once when a thread is
 * read here. With one practice the total is that practice's; with several, each practice counts its
 * conversations with unread messages.
 */
export function useMessagingBadges(me: MeResponse | null): MessagingBadges {
  const [badges, setBadges] = useState<MessagingBadges>(EMPTY);
  const active = usesMessaging(me);
  const kind = me?.user.kind;
  const practiceIds = me ? messagingPractices(me).map((membership) => membership.practiceId) : [];
  const practicesKey = practiceIds.join(',');

  const load = useCallback(async () => {
    if (!active) return;
    if (kind === 'patient') {
      const { total } = await messagingApi.unread();
      setBadges({ patient: total, practices: {} });
      return;
    }
    const ids = practicesKey.split(',').filter(Boolean);
    if (ids.length === 1) {
      const { total } = await messagingApi.unread();
      setBadges({ patient: 0, practices: { [ids[0] as string]: total } });
      return;
    }
    const counts = await Promise.all(
      ids.map(async (id) => [id, (await messagingApi.inbox(id, { unread: true, limit: 1 })).total] as const),
    );
    setBadges({ patient: 0, practices: Object.fromEntries(counts) });
  }, [active, kind, practicesKey]);

  useEffect(() => {
    if (!active) {
      setBadges(EMPTY);
      return;
    }
    load().catch(() => undefined);
    let running = false;
    const stop = watch(() => {
      if (running) return;
      running = true;
      load()
        .catch(() => undefined)
        .finally(() => {
          running = false;
        });
    });
    const stopEvents = onLocalEvent((event) => {
      if (event.type === 'unread' && (kind === 'patient' || practicesKey.split(',').length === 1)) {
        const total = event.total;
        setBadges(
          kind === 'patient'
            ? { patient: total, practices: {} }
            : { patient: 0, practices: { [practicesKey]: total } },
        );
      } else {
        load().catch(() => undefined);
      }
    });
    return () => {
      stop();
      stopEvents();
    };
  }, [active, kind, practicesKey, load]);

  return badges;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;
export type MessagingNavItem = { to: string; label: string; also?: readonly string[]; badge?: number };

/** "Messages" for patients. */
export function patientMessagingItem(t: Translate, badges: MessagingBadges): MessagingNavItem {
  return { to: '/messages', label: t('messaging.nav.messages'), badge: badges.patient };
}

/** "Inbox" for members with the messaging right; "Messaging settings" for practitioners and admins without it. */
export function practiceMessagingItems(
  membership: Membership,
  label: (key: string, practice: string) => string,
  badges: MessagingBadges,
): MessagingNavItem[] {
  const base = `/practices/${membership.practiceId}`;
  if (membership.rights.includes('messaging'))
    return [
      {
        to: `${base}/inbox`,
        label: label('messaging.nav.inbox', membership.practiceName),
        also: [`${base}/messaging-settings`],
        badge: badges.practices[membership.practiceId] ?? 0,
      },
    ];
  if (membership.role === 'practitioner' || membership.isAdmin)
    return [
      { to: `${base}/messaging-settings`, label: label('messaging.nav.settings', membership.practiceName) },
    ];
  return [];
}
