import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { Button } from '../../components/button';
import { LanguageSwitcher } from '../../components/language-switcher';
import { useSession } from '../../session/session';
import { Logo } from './logo';
import { SiteFooter } from './site-footer';
import { SkipLink } from './skip-link';

/** Pages outside the signed-in app: landing, sign-in, links from e-mails, the second-factor steps. */
export function PublicLayout({ wide = false }: { wide?: boolean }) {
  const { t } = useTranslation();
  const { locale, changeLocale, me, signOut } = useSession();
  return (
    <div className="shell">
      <SkipLink />
      <header className="site-header">
        <div className="container site-header__inner">
          <Logo to="/" />
          <div className="site-header__tools">
            <LanguageSwitcher value={locale} onChange={changeLocale} />
            {me ? (
              <Button variant="ghost" small onClick={() => void signOut()}>
                {t('layout.signOut')}
              </Button>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={wide ? 'container main' : 'container main main--narrow'}>
        <Outlet />
      </main>
      <SiteFooter />
    </div>
  );
}
