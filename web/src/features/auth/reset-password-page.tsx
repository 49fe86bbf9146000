import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { FormError } from '../../components/form-error';
import { PasswordField } from '../../components/password-field';
import { errorCode } from '../../i18n/errors';
import { forgetLinkToken, readLinkToken } from '../../lib/link-token';
import { isLongEnough } from '../../lib/password-policy';
import { useSubmit } from '../../lib/use-submit';
import { useSession } from '../../session/session';
import { AuthCard } from './auth-card';

type Mode = 'reset' | 'activate';

/**
 * Choosing a password from an e-mail link: after "forgot password" (reset), or to activate an account
 * an administrator created (activate). Same request, different words.
 */
export function ResetPasswordPage({ mode }: { mode: Mode }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const [token] = useState(readLinkToken);
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();
  const prefix = mode === 'activate' ? 'auth.activate' : 'auth.reset';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    if (!isLongEnough(password)) {
      setFieldError(password ? t('errors.MISSIVE_WEAK_PASSWORD') : t('validation.required'));
      return;
    }
    setFieldError(undefined);
    const outcome = await run(() => authApi.confirmPasswordReset({ token, password }));
    if (outcome.ok) {
      forgetLinkToken();
      setDone(true);
      // Any session open in this browser belongs to the old password: start afresh.
      if (me) await signOut();
    }
  }

  if (!token) {
    return (
      <AuthCard title={t(`${prefix}.title`)}>
        <div className="stack">
          <Alert tone="warning">{t('auth.link.missing')}</Alert>
          <ButtonLink to="/forgot-password" variant="secondary">
            {t('auth.reset.requestNew')}
          </ButtonLink>
        </div>
      </AuthCard>
    );
  }

  if (done) {
    return (
      <AuthCard title={t(`${prefix}.doneTitle`)}>
        <div className="stack">
          <Alert tone="success" role="status">
            {t(`${prefix}.done`)}
          </Alert>
          <ButtonLink to="/signin">{t('auth.reset.signIn')}</ButtonLink>
        </div>
      </AuthCard>
    );
  }

  const code = errorCode(error);
  const passwordError =
    fieldError ??
    (code === 'MISSIVE_WEAK_PASSWORD' || code === 'MISSIVE_COMMON_PASSWORD'
      ? t(`errors.${code}`)
      : undefined);

  return (
    <AuthCard
      title={t(`${prefix}.title`)}
      description={t(`${prefix}.description`)}
      footer={
        <p>
          <Link to="/signin">{t('auth.forgot.backToSignIn')}</Link>
        </p>
      }
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        {code === 'MISSIVE_INVALID_TOKEN' ? (
          <p>
            <Link to="/forgot-password">{t('auth.reset.requestNew')}</Link>
          </p>
        ) : null}
        <PasswordField
          label={t('fields.newPassword')}
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          showPolicy
          error={passwordError}
        />
        <div className="form__actions">
          <Button type="submit" busy={busy} block>
            {t(`${prefix}.submit`)}
          </Button>
        </div>
      </form>
    </AuthCard>
  );
}
