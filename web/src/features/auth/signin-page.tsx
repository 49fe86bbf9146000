import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { FormError } from '../../components/form-error';
import { PasswordField } from '../../components/password-field';
import { TextField } from '../../components/text-field';
import { errorCode } from '../../i18n/errors';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors, isEmail } from '../../lib/validation';
import { useSession } from '../../session/session';
import { AuthCard } from './auth-card';
import { ResendVerification } from './resend-verification';

export function SignInPage() {
  const { t } = useTranslation();
  const { setMe, expired } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<'email' | 'password'>>({});
  const { busy, error, run } = useSubmit();
  // The address the "not verified" answer was for, so the resend button uses it even if the field changes.
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: FieldErrors<'email' | 'password'> = {
      email:
        email.trim() === '' ? t('validation.required') : isEmail(email) ? undefined : t('validation.email'),
      password: password === '' ? t('validation.required') : undefined,
    };
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setUnverifiedEmail(null);
    const outcome = await run(() => authApi.login({ email: email.trim(), password }));
    if (outcome.ok) {
      // The sign-in route's guard takes the person onwards (2-step, the page they wanted, or home).
      setMe(outcome.value);
    } else if (errorCode(outcome.error) === 'MISSIVE_EMAIL_NOT_VERIFIED') {
      setUnverifiedEmail(email.trim());
    }
  }

  const notVerified = errorCode(error) === 'MISSIVE_EMAIL_NOT_VERIFIED' && unverifiedEmail;

  return (
    <AuthCard
      title={t('auth.signin.title')}
      description={t('auth.signin.description')}
      footer={
        <>
          <p>
            <Link to="/forgot-password">{t('auth.signin.forgot')}</Link>
          </p>
          <p>
            {t('auth.signin.noAccount')} <Link to="/signup">{t('auth.signin.createAccount')}</Link>
          </p>
        </>
      }
    >
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        {expired ? <Alert tone="info">{t('auth.signin.expired')}</Alert> : null}
        {notVerified ? (
          <div aria-live="assertive">
            <Alert tone="warning" title={t('errors.MISSIVE_EMAIL_NOT_VERIFIED')}>
              <p>{t('auth.signin.notVerifiedHelp', { email: unverifiedEmail })}</p>
              <ResendVerification email={unverifiedEmail} />
            </Alert>
          </div>
        ) : (
          <FormError error={error} />
        )}
        <TextField
          label={t('fields.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="off"
          spellCheck={false}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldErrors.email}
        />
        <PasswordField
          label={t('fields.password')}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
        />
        <div className="form__actions">
          <Button type="submit" busy={busy} block>
            {t('auth.signin.submit')}
          </Button>
        </div>
      </form>
    </AuthCard>
  );
}
