import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../components/button';
import { PageHeader } from '../../components/page-header';
import { homePathFor } from '../../session/routing';
import { useSession } from '../../session/session';

export function NotFoundPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <div className="error-page">
      <PageHeader title={t('notFound.title')} description={t('notFound.text')} />
      <ButtonLink to={me ? homePathFor(me) : '/'}>{t('notFound.back')}</ButtonLink>
    </div>
  );
}
