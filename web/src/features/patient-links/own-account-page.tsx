import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Country, Locale } from '../../../../src/contracts/common';
import { type ProfileClaimPreview, patientLinksApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { ShieldIcon } from '../../components/icons';
import { LANGUAGE_NAMES } from '../../components/language-switcher';
import { PasswordField } from '../../components/password-field';
import { Select } from '../../components/select';
import { PageLoading } from '../../components/spinner';
import { errorCode, errorText, issuesByField } from '../../i18n/errors';
import { LOCALES } from '../../i18n/locale';
import { forgetLinkToken, readLinkToken } from '../../lib/link-token';
import { isLongEnough } from '../../lib/password-policy';
import { useSubmit } from '../../lib/use-submit';
import { useSession } from '../../session/session';
import { AuthCard } from '../auth/auth-card';

type Preview =
  | { step: 'loading' }
  | { step: 'ready'; preview: ProfileClaimPreview }
  | { step: 'failed'; error: unknown };

/** A teenager creates their own account from the link a parent sent: their profile becomes theirs. */
export function OwnAccountPage() {
  const { t } = useTranslation();
  const [token] = useState(readLinkToken);
  const [preview, setPreview] = useState<Preview>({ step: 'loading' });
  const [done, setDone] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    patientLinksApi.previewClaim(token).then(
      (value) => setPreview({ step: 'ready', preview: value }),
      (error: unknown) => setPreview({ step: 'failed', error }),
    );
  }, [token]);

  if (!token)
    return (
      <AuthCard title={t('ownAccount.title')}>
        <Alert tone="warning">{t('auth.link.missing')}</Alert>
      </AuthCard>
    );
  if (preview.step === 'loading')
    return (
      <AuthCard title={t('ownAccount.title')}>
        <PageLoading label={t('common.loading')} />
      </AuthCard>
    );
  if (preview.step === 'failed') {
    const invalid = ['MISSIVE_INVALID_TOKEN', 'MISSIVE_NOT_FOUND'].includes(errorCode(preview.error) ?? '');
    return (
      <AuthCard title={t('ownAccount.title')}>
        <Alert tone="warning" role="alert">
          {invalid ? t('ownAccount.invalid') : errorText(t, preview.error)}
        </Alert>
      </AuthCard>
    );
  }
  if (done) return <Done email={preview.preview.email} />;
  return (
    <ClaimForm
      token={token}
      preview={preview.preview}
      onDone={() => {
        forgetLinkToken();
        setDone(true);
      }}
    />
  );
}

function Done({ email }: { email: string }) {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <AuthCard title={t('ownAccount.doneTitle')}>
      <div className="stack">
        <Alert tone="success" role="status">
          {t('ownAccount.done', { email })}
        </Alert>
        {me ? (
          <>
            <p>{t('ownAccount.signedInAsOther', { current: me.user.email })}</p>
            <Button
              onClick={async () => {
                await signOut();
                navigate('/signin');
              }}
            >
              {t('ownAccount.signOutAndSignIn')}
            </Button>
          </>
        ) : (
          <ButtonLink to="/signin">{t('auth.signin.submit')}</ButtonLink>
        )}
      </div>
    </AuthCard>
  );
}

function ClaimForm({
  token,
  preview,
  onDone,
}: {
  token: string;
  preview: ProfileClaimPreview;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { locale } = useSession();
  const [password, setPassword] = useState('');
  const [country, setCountry] = useState<Country>(locale === 'it' ? 'IT' : 'FR');
  const [language, setLanguage] = useState<Locale>(locale);
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!password || !isLongEnough(password)) {
      setPasswordError(password ? t('errors.MISSIVE_WEAK_PASSWORD') : t('validation.required'));
      document
        .getElementById('own-account-form')
        ?.querySelector<HTMLInputElement>('input[type=password]')
        ?.focus();
      return;
    }
    setPasswordError(undefined);
    const outcome = await run(() =>
      patientLinksApi.acceptClaim({ token, password, locale: language, country }),
    );
    if (outcome.ok) onDone();
    else setPasswordError(issuesByField(t, outcome.error).password);
  }

  const code = errorCode(error);
  const serverPasswordError =
    code === 'MISSIVE_WEAK_PASSWORD' || code === 'MISSIVE_COMMON_PASSWORD' ? t(`errors.${code}`) : undefined;

  return (
    <AuthCard title={t('ownAccount.title')} description={t('ownAccount.intro', { name: preview.firstName })}>
      <div className="stack">
        <div className="confidential">
          <h2 className="confidential__title">
            <ShieldIcon />
            {t('ownAccount.confidentialTitle')}
          </h2>
          <ul className="confidential__list">
            <li>{t('ownAccount.confidentialOwn')}</li>
            <li>{t('ownAccount.confidentialHidden')}</li>
            <li>{t('ownAccount.confidentialBefore')}</li>
          </ul>
        </div>
        <dl className="details invitation-details">
          <dt>{t('fields.name')}</dt>
          <dd>
            {preview.firstName} {preview.lastName}
          </dd>
          <dt>{t('fields.email')}</dt>
          <dd>
            <EmailAddress email={preview.email} />
          </dd>
        </dl>
        <form id="own-account-form" className="form" onSubmit={submit} noValidate>
          <FormError error={serverPasswordError ? null : error} />
          <input type="email" name="username" autoComplete="username" value={preview.email} readOnly hidden />
          <PasswordField
            label={t('ownAccount.passwordLabel')}
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            showPolicy
            error={passwordError ?? serverPasswordError}
          />
          <div className="form__row">
            <Select
              label={t('fields.country')}
              value={country}
              onChange={(event) => setCountry(event.target.value as Country)}
              options={[
                { value: 'FR', label: t('countries.FR') },
                { value: 'IT', label: t('countries.IT') },
              ]}
              hint={t('auth.signup.countryHint')}
            />
            <Select
              label={t('fields.language')}
              value={language}
              onChange={(event) => setLanguage(event.target.value as Locale)}
              options={LOCALES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code], lang: code }))}
              hint={t('auth.signup.languageHint')}
            />
          </div>
          <div className="form__actions">
            <Button type="submit" busy={busy} block>
              {t('ownAccount.submit')}
            </Button>
          </div>
        </form>
      </div>
    </AuthCard>
  );
}
