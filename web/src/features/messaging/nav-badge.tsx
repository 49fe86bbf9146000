import { useTranslation } from 'react-i18next';
import './messaging.css';

/** The unread count next to a navigation link: seen as a number, heard as "3 unread". */
export function NavBadge({ count }: { count: number | undefined }) {
  const { t } = useTranslation();
  if (!count) return null;
  return (
    <>
      <span className="nav-badge" aria-hidden="true">
        {count > 99 ? '99+' : count}
      </span>
      <span className="visually-hidden"> ({t('messaging.nav.unread', { count })})</span>
    </>
  );
}
