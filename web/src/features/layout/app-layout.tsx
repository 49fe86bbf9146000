import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import type { MeResponse } from '../../../../src/contracts/accounts';
import { Button } from '../../components/button';
import { LanguageSwitcher } from '../../components/language-switcher';
import { useSession } from '../../session/session';
import {
  type MessagingBadges,
  patientMessagingItem,
  practiceMessagingItems,
  useMessagingBadges,
} from '../messaging/nav';
import { NavBadge } from '../messaging/nav-badge';
import { ConnectionStatus } from '../notifications/connection-status';
import { Logo } from './logo';
import { SiteFooter } from './site-footer';
import { SkipLink } from './skip-link';

type NavItem = { to: string; label: string; also?: readonly string[]; badge?: number };

function navItemsFor(
  me: MeResponse,
  t: (key: string, options?: Record<string, unknown>) => string,
  badges: MessagingBadges,
): NavItem[] {
  if (me.user.kind === 'admin') {
    return [
      { to: '/admin', label: t('nav.admin') },
      { to: '/account', label: t('nav.account') },
    ];
  }
  if (me.user.kind === 'patient') {
    return [
      { to: '/home', label: t('nav.home') },
      patientMessagingItem(t, badges),
      { to: '/appointments', label: t('nav.appointments'), also: ['/book'] },
      { to: '/relatives', label: t('nav.relatives') },
      { to: '/account', label: t('nav.account') },
    ];
  }
  const several = me.memberships.length > 1;
  const label = (key: string, practice: string) =>
    several ? t('nav.ofPractice', { item: t(key), practice }) : t(key);
  const practiceItems = me.memberships.flatMap((membership): NavItem[] => {
    const base = `/practices/${membership.practiceId}`;
    const items: NavItem[] = [...practiceMessagingItems(membership, label, badges)];
    if (membership.rights.includes('agenda'))
      items.push({
        to: `${base}/agenda`,
        label: label('nav.agenda', membership.practiceName),
        also: [`${base}/opening-hours`],
      });
    else if (membership.role === 'practitioner')
      items.push({ to: `${base}/opening-hours`, label: label('nav.openingHours', membership.practiceName) });
    if (membership.rights.includes('patients'))
      items.push({ to: `${base}/patients`, label: label('nav.patients', membership.practiceName) });
    if (membership.rights.includes('campaigns'))
      items.push({ to: `${base}/campaigns`, label: label('campaigns.nav', membership.practiceName) });
    items.push({ to: `${base}/team`, label: label('nav.team', membership.practiceName) });
    return items;
  });
  return [
    { to: '/home', label: t('nav.home') },
    ...practiceItems,
    { to: '/account', label: t('nav.account') },
  ];
}

function isCurrent(item: NavItem, pathname: string): boolean {
  const under = (path: string) => pathname === path || pathname.startsWith(`${path}/`);
  return under(item.to) || (item.also ?? []).some(under);
}

/**
 * On a narrow screen the tab bar scrolls sideways: after each navigation, brings the current tab into view
 * (centred) when it is not already entirely visible, without scrolling the page itself.
 */
function useCurrentTabInView(currentTo: string | undefined) {
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const list = listRef.current;
    if (!list || currentTo === undefined || list.scrollWidth <= list.clientWidth) return;
    const link = list.querySelector<HTMLElement>(`a[href="${CSS.escape(currentTo)}"]`);
    if (!link) return;
    const bar = list.getBoundingClientRect();
    const tab = link.getBoundingClientRect();
    // The faded edges (scroll-padding-inline in layout.css) do not count as visible.
    const inset = Number.parseFloat(getComputedStyle(list).scrollPaddingInlineStart) || 0;
    if (tab.left >= bar.left + inset && tab.right <= bar.right - inset) return;
    list.scrollTo({
      left: list.scrollLeft + tab.left - bar.left - (bar.width - tab.width) / 2,
      behavior: 'instant',
    });
  }, [currentTo]);
  return listRef;
}

/** The signed-in shell: header with the person's name, language and sign-out; navigation by account kind. */
export function AppLayout() {
  const { t } = useTranslation();
  const { me, locale, changeLocale, signOut } = useSession();
  const location = useLocation();
  const badges = useMessagingBadges(me);
  const items = me ? navItemsFor(me, t, badges) : [];
  const navListRef = useCurrentTabInView(items.find((item) => isCurrent(item, location.pathname))?.to);
  if (!me) return null;
  const home = me.user.kind === 'admin' ? '/admin' : '/home';
  return (
    <div className="shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header__inner site-header__inner--app">
          <Logo to={home} />
          <div className="site-header__tools">
            <div className="site-header__group site-header__who">
              <ConnectionStatus />
              <span className="site-header__user">
                <span className="visually-hidden">{t('layout.signedInAs')} </span>
                {me.user.firstName} {me.user.lastName}
              </span>
            </div>
            <div className="site-header__group">
              <LanguageSwitcher value={locale} onChange={changeLocale} />
              <Button variant="ghost" small onClick={() => void signOut()}>
                {t('layout.signOut')}
              </Button>
            </div>
          </div>
        </div>
        <nav className="site-nav" aria-label={t('nav.label')}>
          <ul
            ref={navListRef}
            className="container site-nav__list"
            // A tab reached with the keyboard comes entirely into view, clear of the faded edges.
            onFocus={(event) => event.target.scrollIntoView({ block: 'nearest', inline: 'nearest' })}
          >
            {items.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className="site-nav__link"
                  aria-current={isCurrent(item, location.pathname) ? 'page' : undefined}
                >
                  {item.label}
                  <NavBadge count={item.badge} />
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container main">
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}
