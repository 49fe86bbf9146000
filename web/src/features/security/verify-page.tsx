import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { CodeField } from '../../components/code-field';
import { FormError } from '../../components/form-error';
import { useSubmit } from '../../lib/use-submit';
import { isTotpCode } from '../../lib/validation';
import { useSession } from '../../session/session';
import { AuthCard } from '../auth/auth-card';

/** Second step of signing in for staff and administrators: the code from their authenticator app. */
export function VerifyPage() {
  const { t } = useTranslation();
  const { me, setMe } = useSession();
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isTotpCode(code)) {
      setFieldError(t('validation.code'));
      return;
    }
    setFieldError(undefined);
    const outcome = await run(() => authApi.verifyTotp(code.trim()));
    if (outcome.ok) setMe(outcome.value);
    else setCode('');
  }

  return (
    <AuthCard
      title={t('security.verify.title')}
      description={t('security.verify.description', { email: me?.user.email ?? '' })}
      footer={<p className="muted">{t('security.verify.lostDevice')}</p>}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <CodeField value={code} onChange={setCode} error={fieldError} />
        <div className="form__actions">
          <Button type="submit" busy={busy} block>
            {t('security.verify.submit')}
          </Button>
        </div>
      </form>
    </AuthCard>
  );
}
