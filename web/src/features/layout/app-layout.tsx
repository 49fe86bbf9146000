import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import type { MeResponse } from '../../../../src/contracts/accounts';
import { Button } from '../../components/button';
import { LanguageSwitcher } from '../../components/language-switcher';
import { useSession } from '../../session/session';
import { Logo } from './logo';
import { SiteFooter } from './site-footer';
import { SkipLink } from './skip-link';

type NavItem = { to: string; label: string; end?: boolean };

function navItemsFor(
  me: MeResponse,
  t: (key: string, options?: Record<string, unknown>) => string,
): NavItem[] {
  if (me.user.kind === 'admin') {
    return [
      { to: '/admin', label: t('nav.admin') },
      { to: '/account', label: t('nav.account') },
    ];
  }
  const teams: NavItem[] = me.memberships.map((membership) => ({
    to: `/practices/${membership.practiceId}/team`,
    label: me.memberships.length > 1 ? t('nav.teamOf', { practice: membership.practiceName }) : t('nav.team'),
  }));
  return [{ to: '/home', label: t('nav.home') }, ...teams, { to: '/account', label: t('nav.account') }];
}

/** The signed-in shell: header with the person's name, language and sign-out; navigation by account kind. */
export function AppLayout() {
  const { t } = useTranslation();
  const { me, locale, changeLocale, signOut } = useSession();
  if (!me) return null;
  const items = navItemsFor(me, t);
  const home = me.user.kind === 'admin' ? '/admin' : '/home';
  return (
    <div className="shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header__inner">
          <Logo to={home} />
          <div className="site-header__tools">
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
                <NavLink to={item.to} className="site-nav__link">
                  {item.label}
                </NavLink>
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
