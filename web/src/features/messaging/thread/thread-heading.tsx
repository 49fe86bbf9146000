import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page's <h1> for a conversation. Unlike PageHeader it keeps the subject (health data) out of the
 * document title, which browsers keep in their history and show in tabs.
 */
export function ThreadHeading({ subject, children }: { subject: string; children?: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('messaging.thread.title')} · ${t('app.name')}`;
  }, [t]);
  return (
    <header className="page-header msg-thread-header">
      <div>
        <h1 id="page-title" tabIndex={-1} className="msg-thread-header__title">
          {subject}
        </h1>
        {children ? <div className="page-header__description">{children}</div> : null}
      </div>
    </header>
  );
}
