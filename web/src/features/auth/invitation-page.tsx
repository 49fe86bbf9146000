import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Membership } from '../../../../src/contracts/accounts';
import type { InvitationPreview } from '../../../../src/contracts/practices';
import { invitationsApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { PasswordField } from '../../components/password-field';
import { PageLoading } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { errorCode, errorText, issuesByField } from '../../i18n/errors';
import { forgetStoredLinkToken, readStoredLinkToken } from '../../lib/link-token';
import { isLongEnough } from '../../lib/password-policy';
import { rememberReturnTo } from '../../lib/return-to';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors } from '../../lib/validation';
import { mfaStepPath } from '../../session/routing';
import { isFullySignedIn, useSession } from '../../session/session';
import { AuthCard } from './auth-card';

const STORAGE_KEY = 'missive.invitationToken';

type Preview =
  | { step: 'loading' }
  | { step: 'ready'; preview: InvitationPreview }
  | { step: 'failed'; error: unknown };
type Accepted = { membership: Membership; newAccount: boolean };

export function InvitationPage() {
  const { t } = useTranslation();
  const [token] = useState(() => readStoredLinkToken(STORAGE_KEY));
  const [preview, setPreview] = useState<Preview>({ step: 'loading' });
  const [accepted, setAccepted] = useState<Accepted | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    invitationsApi.preview(token).then(
      (value) => setPreview({ step: 'ready', preview: value }),
      (error: unknown) => setPreview({ step: 'failed', error }),
    );
  }, [token]);

  if (!token) {
    return (
      <AuthCard title={t('invitation.title')}>
        <Alert tone="warning">{t('auth.link.missing')}</Alert>
      </AuthCard>
    );
  }

  if (preview.step === 'loading') {
    return (
      <AuthCard title={t('invitation.title')}>
        <PageLoading label={t('common.loading')} />
      </AuthCard>
    );
  }

  if (preview.step === 'failed') {
    const expired =
      errorCode(preview.error) === 'MISSIVE_INVALID_TOKEN' ||
      errorCode(preview.error) === 'MISSIVE_NOT_FOUND';
    return (
      <AuthCard title={t('invitation.title')}>
        <Alert tone="warning" role="alert">
          {expired ? t('invitation.invalid') : errorText(t, preview.error)}
        </Alert>
      </AuthCard>
    );
  }

  if (accepted) return <AcceptedView accepted={accepted} email={preview.preview.email} />;

  return (
    <InvitationView
      token={token}
      preview={preview.preview}
      onAccepted={(value) => {
        forgetStoredLinkToken(STORAGE_KEY);
        setAccepted(value);
      }}
    />
  );
}

function AcceptedView({ accepted, email }: { accepted: Accepted; email: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  return (
    <AuthCard title={t('invitation.acceptedTitle')}>
      <div className="stack">
        <Alert tone="success" role="status">
          {t('invitation.accepted', { practice: accepted.membership.practiceName })}
        </Alert>
        {accepted.newAccount || !me ? (
          <>
            <p>{t('invitation.signInNext', { email })}</p>
            <p className="muted">{t('invitation.twoStepNext')}</p>
            <ButtonLink to="/signin">{t('auth.signin.submit')}</ButtonLink>
          </>
        ) : (
          <ButtonLink to={`/practices/${accepted.membership.practiceId}/team`}>
            {t('invitation.seeTeam')}
          </ButtonLink>
        )}
      </div>
    </AuthCard>
  );
}

function InvitationView({
  token,
  preview,
  onAccepted,
}: {
  token: string;
  preview: InvitationPreview;
  onAccepted: (value: Accepted) => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { me, signOut, refresh } = useSession();
  const { busy, error, run } = useSubmit();
  const sameAccount = me !== null && me.user.email.toLowerCase() === preview.email.toLowerCase();
  const intro = t('invitation.intro', { practice: preview.practiceName, role: t(`roles.${preview.role}`) });

  function goToSignIn() {
    rememberReturnTo('/invitation');
    navigate('/signin');
  }

  async function acceptWithAccount() {
    const outcome = await run(() => invitationsApi.accept({ token }));
    if (outcome.ok) {
      await refresh();
      onAccepted({ membership: outcome.value.membership, newAccount: false });
    }
  }

  let body: ReactNode;
  if (!preview.accountExists) {
    body = <NewAccountForm token={token} email={preview.email} onAccepted={onAccepted} />;
  } else if (!me) {
    body = (
      <div className="stack">
        <p>{t('invitation.signInFirst', { email: preview.email })}</p>
        <Button onClick={goToSignIn} block>
          {t('invitation.signInToAccept')}
        </Button>
      </div>
    );
  } else if (!sameAccount) {
    body = (
      <div className="stack">
        <Alert tone="warning">
          {t('invitation.otherAccount', { current: me.user.email, email: preview.email })}
        </Alert>
        <Button
          variant="secondary"
          block
          onClick={async () => {
            await signOut();
            goToSignIn();
          }}
        >
          {t('invitation.switchAccount')}
        </Button>
      </div>
    );
  } else if (!isFullySignedIn(me)) {
    const step = mfaStepPath(me) ?? '/security/verify';
    body = (
      <div className="stack">
        <p>{t('invitation.twoStepFirst')}</p>
        <Button
          block
          onClick={() => {
            rememberReturnTo('/invitation');
            navigate(step);
          }}
        >
          {t('common.continue')}
        </Button>
      </div>
    );
  } else {
    body = (
      <div className="stack">
        <FormError error={error} />
        <Button busy={busy} block onClick={acceptWithAccount}>
          {t('invitation.accept')}
        </Button>
      </div>
    );
  }

  return (
    <AuthCard title={t('invitation.title')} description={intro}>
      <dl className="details invitation-details">
        <dt>{t('invitation.practice')}</dt>
        <dd>{preview.practiceName}</dd>
        <dt>{t('fields.role')}</dt>
        <dd>{t(`roles.${preview.role}`)}</dd>
        <dt>{t('fields.email')}</dt>
        <dd>
          <EmailAddress email={preview.email} />
        </dd>
      </dl>
      {body}
    </AuthCard>
  );
}

type NewAccountField = 'firstName' | 'lastName' | 'password';

function NewAccountForm({
  token,
  email,
  onAccepted,
}: {
  token: string;
  email: string;
  onAccepted: (value: Accepted) => void;
}) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<NewAccountField>>({});
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const required = t('validation.required');
    const errors: FieldErrors<NewAccountField> = {
      firstName: firstName.trim() ? undefined : required,
      lastName: lastName.trim() ? undefined : required,
      password: !password ? required : isLongEnough(password) ? undefined : t('errors.MISSIVE_WEAK_PASSWORD'),
    };
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const outcome = await run(() =>
      invitationsApi.accept({ token, firstName: firstName.trim(), lastName: lastName.trim(), password }),
    );
    if (outcome.ok) onAccepted({ membership: outcome.value.membership, newAccount: true });
    else setFieldErrors(issuesByField(t, outcome.error));
  }

  const code = errorCode(error);
  const passwordServerError =
    code === 'MISSIVE_WEAK_PASSWORD' || code === 'MISSIVE_COMMON_PASSWORD' ? t(`errors.${code}`) : undefined;

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      <h2 className="h3">{t('invitation.createAccount')}</h2>
      <FormError error={error} />
      {/* Lets password managers save the new password under the right address. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="form__row">
        <TextField
          label={t('fields.firstName')}
          autoComplete="given-name"
          required
          maxLength={100}
          value={firstName}
          onChange={(event) => setFirstName(event.target.value)}
          error={fieldErrors.firstName}
        />
        <TextField
          label={t('fields.lastName')}
          autoComplete="family-name"
          required
          maxLength={100}
          value={lastName}
          onChange={(event) => setLastName(event.target.value)}
          error={fieldErrors.lastName}
        />
      </div>
      <PasswordField
        label={t('fields.password')}
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        showPolicy
        error={fieldErrors.password ?? passwordServerError}
      />
      <div className="form__actions">
        <Button type="submit" busy={busy} block>
          {t('invitation.acceptAndCreate')}
        </Button>
      </div>
    </form>
  );
}
