import { useTranslation } from 'react-i18next';
import { errorText } from '../i18n/errors';
import { Alert } from './alert';
import { Button } from './button';

/** A page's data could not be loaded: say why and offer to try again. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert tone="danger" role="alert" title={t('errors.loadFailed')}>
      <p>{errorText(t, error)}</p>
      <Button variant="secondary" small onClick={onRetry}>
        {t('common.retry')}
      </Button>
    </Alert>
  );
}
