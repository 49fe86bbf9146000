import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { FormError } from '../../components/form-error';
import { PageLoading } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { errorText } from '../../i18n/errors';
import { forgetLinkToken, readLinkToken } from '../../lib/link-token';
import { useSubmit } from '../../lib/use-submit';
import { isEmail } from '../../lib/validation';
import { useSession } from '../../session/session';
import { AuthCard } from './auth-card';

type State =
  | { step: 'verifying' }
  | { step: 'done' }
  | { step: 'failed'; error: unknown }
  | { step: 'missing' };

/** Landing page of the confirmation link: confirms at once, or offers a new link. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const started = useRef(false);
  const [state, setState] = useState<State>({ step: 'verifying' });

  useEffect(() => {
    // Once only: the token can be used a single time (React may run effects twice in development).
    if (started.current) return;
    started.current = true;
    const token = readLinkToken();
    if (!token) {
      setState({ step: 'missing' });
      return;
    }
    authApi.verifyEmail(token).then(
      () => {
        forgetLinkToken();
        setState({ step: 'done' });
      },
      (error: unknown) => setState({ step: 'failed', error }),
    );
  }, []);

  if (state.step === 'verifying') {
    return (
      <AuthCard title={t('auth.verifyEmail.title')}>
        <PageLoading label={t('auth.verifyEmail.verifying')} />
      </AuthCard>
    );
  }

  if (state.step === 'done') {
    return (
      <AuthCard title={t('auth.verifyEmail.doneTitle')}>
        <div className="stack">
          <Alert tone="success" role="status">
            {t('auth.verifyEmail.done')}
          </Alert>
          {me ? (
            <ButtonLink to="/home">{t('common.continue')}</ButtonLink>
          ) : (
            <ButtonLink to="/signin">{t('auth.verifyEmail.signIn')}</ButtonLink>
          )}
        </div>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('auth.verifyEmail.failedTitle')}
      footer={
        <p>
          <Link to="/signin">{t('auth.verifyEmail.signIn')}</Link>
        </p>
      }
    >
      <div className="stack">
        <Alert tone="warning" role="alert">
          {state.step === 'missing' ? t('auth.link.missing') : errorText(t, state.error)}
        </Alert>
        <ResendForm />
      </div>
    </AuthCard>
  );
}

function ResendForm() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isEmail(email)) {
      setFieldError(email.trim() ? t('validation.email') : t('validation.required'));
      return;
    }
    setFieldError(undefined);
    const address = email.trim();
    const outcome = await run(() => authApi.resendVerification(address));
    if (outcome.ok) setSent(address);
  }

  if (sent)
    return (
      <Alert tone="success" role="status">
        {t('auth.resend.sent', { email: sent })}
      </Alert>
    );

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h2 className="h3">{t('auth.verifyEmail.resendTitle')}</h2>
      <FormError error={error} />
      <TextField
        label={t('fields.email')}
        type="email"
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
        <Button type="submit" busy={busy}>
          {t('auth.resend.action')}
        </Button>
      </div>
    </form>
  );
}
