import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { FormError } from '../../components/form-error';
import { TextField } from '../../components/text-field';
import { useSubmit } from '../../lib/use-submit';
import { isEmail } from '../../lib/validation';
import { AuthCard } from './auth-card';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isEmail(email)) {
      setFieldError(email.trim() ? t('validation.email') : t('validation.required'));
      return;
    }
    setFieldError(undefined);
    const address = email.trim();
    const outcome = await run(() => authApi.requestPasswordReset(address));
    if (outcome.ok) setSentTo(address);
  }

  return (
    <AuthCard
      title={t('auth.forgot.title')}
      description={sentTo ? undefined : t('auth.forgot.description')}
      footer={
        <p>
          <Link to="/signin">{t('auth.forgot.backToSignIn')}</Link>
        </p>
      }
    >
      {sentTo ? (
        <div className="stack" aria-live="polite">
          <Alert tone="success" title={t('auth.forgot.sentTitle')}>
            {t('auth.forgot.sent', { email: sentTo })}
          </Alert>
          <p className="muted">{t('auth.forgot.sentHelp')}</p>
        </div>
      ) : (
        <form className="form" onSubmit={submit} noValidate>
          <FormError error={error} />
          <TextField
            label={t('fields.email')}
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            autoCapitalize="off"
            spellCheck={false}
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldError}
          />
          <div className="form__actions">
            <Button type="submit" busy={busy} block>
              {t('auth.forgot.submit')}
            </Button>
          </div>
        </form>
      )}
    </AuthCard>
  );
}
