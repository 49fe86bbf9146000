import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorText } from '../i18n/errors';
import { Alert } from './alert';

/**
 * The form-level error, in a live region that is always present so screen readers announce the
 * message when it appears. Field-level messages sit next to their fields.
 */
export function FormError({ error, message }: { error?: unknown; message?: string | undefined }) {
  const { t } = useTranslation();
  const text = message ?? (error ? errorText(t, error) : undefined);
  const reference = error instanceof ApiError && error.status >= 500 ? error.requestId : undefined;
  return (
    <div aria-live="assertive" aria-atomic="true">
      {text ? (
        <Alert tone="danger">
          <p>{text}</p>
          {reference ? <p className="small muted">{t('errors.reference', { reference })}</p> : null}
        </Alert>
      ) : null}
    </div>
  );
}
