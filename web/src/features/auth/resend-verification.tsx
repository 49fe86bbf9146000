import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { FormError } from '../../components/form-error';
import { useSubmit } from '../../lib/use-submit';

/** "Send the confirmation e-mail again", for someone whose address is not confirmed yet. */
export function ResendVerification({ email }: { email: string }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [sent, setSent] = useState(false);
  return (
    <div className="stack">
      <div aria-live="polite">
        {sent ? (
          <Alert tone="success">{t('auth.resend.sent', { email })}</Alert>
        ) : (
          <Button
            variant="secondary"
            small
            busy={busy}
            onClick={async () => {
              const outcome = await run(() => authApi.resendVerification(email));
              if (outcome.ok) setSent(true);
            }}
          >
            {t('auth.resend.action')}
          </Button>
        )}
      </div>
      <FormError error={error} />
    </div>
  );
}
