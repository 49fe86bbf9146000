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

/** The signed-in shell: header with the person's name, language and sign-out; navigation by account kind. */
export function AppLayout() {
  const { t } = useTranslation();
  const { me, locale, changeLocale, signOut } = useSession();
  const location = useLocation();
  const badges = useMessagingBadges(me);
  if (!me) return null;
  const items = navItemsFor(me, t, badges);
  const home = me.user.kind === 'admin' ? '/admin' : '/home';
  return (
    <div className="shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header__inner">
          <Logo to={home} />
          <div className="site-header__tools">
            <ConnectionStatus />
            <span className="site-header__user">
              <span className="visually-hidden">{t('layout.signedInAs')} </span>
              {me.user.firstName} {me.user.lastName}
            </span>
            <LanguageSwitcher value={locale} onChange={changeLocale} />
            <Button variant="ghost" small onClick={() => void signOut()}>
              {t('layout.signOut')}
            </Button>
          </div>
        </div>
        <nav className="site-nav" aria-label={t('nav.label')}>
          <ul className="container site-nav__list">
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
