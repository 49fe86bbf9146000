import { useTranslation } from 'react-i18next';
import { Button } from '../../components/button';
import { EmergencyNotice } from '../../components/emergency-notice';
import { PageHeader } from '../../components/page-header';
import { useSession } from '../../session/session';

/** The server could not be reached at start-up: say so plainly, keep the emergency numbers in sight. */
export function UnreachablePage() {
  const { t } = useTranslation();
  const { refresh } = useSession();
  return (
    <div className="stack-lg">
      <div className="error-page">
        <PageHeader title={t('unreachable.title')} description={t('unreachable.text')} />
        <Button onClick={() => void refresh()}>{t('common.retry')}</Button>
      </div>
      <EmergencyNotice />
    </div>
  );
}
