import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeResponse } from '../../../../src/contracts/accounts';
import type { Locale } from '../../../../src/contracts/common';
import { meApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { LANGUAGE_NAMES } from '../../components/language-switcher';
import { PageHeader } from '../../components/page-header';
import { PasswordField } from '../../components/password-field';
import { Select } from '../../components/select';
import { TextField } from '../../components/text-field';
import { errorCode, issuesByField } from '../../i18n/errors';
import { LOCALES } from '../../i18n/locale';
import { formatCalendarDate } from '../../lib/format';
import { isLongEnough } from '../../lib/password-policy';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors } from '../../lib/validation';
import { useSession } from '../../session/session';
import { CampaignPreferencesCard } from '../campaigns/opt-out';
import { DataRightsSection } from '../data-rights/data-rights-section';

export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <div className="stack-lg">
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <div className="grid-2 account-grid">
        <div className="stack-lg">
          <IdentityCard me={me} />
          <NameForm me={me} />
        </div>
        <div className="stack-lg">
          <LanguageCard me={me} />
          <NotificationsCard />
          <PasswordForm me={me} />
          {me.user.kind === 'patient' ? <CampaignPreferencesCard /> : null}
        </div>
      </div>
      {me.user.kind === 'patient' ? <DataRightsSection me={me} /> : null}
    </div>
  );
}

function IdentityCard({ me }: { me: MeResponse }) {
  const { t, i18n } = useTranslation();
  const staff = me.user.kind !== 'patient';
  return (
    <Card title={t('account.identityTitle')}>
      <dl className="details">
        <dt>{t('fields.email')}</dt>
        <dd>
          <EmailAddress email={me.user.email} />
        </dd>
        <dt>{t('account.kind')}</dt>
        <dd>{t(`kinds.${me.user.kind}`)}</dd>
        {me.user.birthDate ? (
          <>
            <dt>{t('fields.birthDate')}</dt>
            <dd>{formatCalendarDate(me.user.birthDate, i18n.language)}</dd>
          </>
        ) : null}
        <dt>{t('fields.country')}</dt>
        <dd>{t(`countries.${me.user.country}`)}</dd>
        {staff ? (
          <>
            <dt>{t('account.twoStep')}</dt>
            <dd>
              <Badge tone="success" dot>
                {t('account.twoStepOn')}
              </Badge>
            </dd>
          </>
        ) : null}
      </dl>
      <p className="small muted identity-note">{t('account.identityHelp')}</p>
    </Card>
  );
}

function LanguageCard({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  const { changeLocale, locale } = useSession();
  const [chosen, setChosen] = useState<Locale | null>(null);
  // The account's language (e-mails use it); choosing one here also switches this interface.
  return (
    <Card title={t('account.languageTitle')} description={t('account.languageDescription')}>
      <div className="stack">
        {/* A language chosen on this device (at sign-in, say) shows here while the account keeps its own. */}
        {chosen === null && locale !== me.user.locale ? (
          <p className="small muted">{t('account.languageDevice')}</p>
        ) : null}
        <Select
          label={t('fields.language')}
          value={chosen ?? me.user.locale}
          onChange={(event) => {
            const locale = event.target.value as Locale;
            setChosen(locale);
            changeLocale(locale);
          }}
          options={LOCALES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code], lang: code }))}
        />
        <div aria-live="polite">
          {chosen && me.user.locale === chosen ? (
            <Alert tone="success">{t('account.languageSaved')}</Alert>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function NotificationsCard() {
  const { t } = useTranslation();
  return (
    <Card
      title={t('notificationSettings.accountCardTitle')}
      description={t('notificationSettings.accountCardText')}
    >
      <div>
        <ButtonLink to="/account/notifications" variant="secondary">
          {t('notificationSettings.accountCardLink')}
        </ButtonLink>
      </div>
    </Card>
  );
}

function NameForm({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  const { setMe } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const [firstName, setFirstName] = useState(me.user.firstName);
  const [lastName, setLastName] = useState(me.user.lastName);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<'firstName' | 'lastName'>>({});
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const errors = {
      firstName: firstName.trim() ? undefined : t('validation.required'),
      lastName: lastName.trim() ? undefined : t('validation.required'),
    };
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const outcome = await run(() => meApi.update({ firstName: firstName.trim(), lastName: lastName.trim() }));
    if (outcome.ok) {
      setMe(outcome.value);
      setSaved(true);
    } else {
      setFieldErrors(issuesByField(t, outcome.error));
    }
  }

  const unchanged = firstName.trim() === me.user.firstName && lastName.trim() === me.user.lastName;

  return (
    <Card title={t('account.nameTitle')}>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <div aria-live="polite">{saved ? <Alert tone="success">{t('account.nameSaved')}</Alert> : null}</div>
        <div className="form__row">
          <TextField
            label={t('fields.firstName')}
            autoComplete="given-name"
            required
            maxLength={100}
            value={firstName}
            onChange={(event) => {
              setFirstName(event.target.value);
              setSaved(false);
            }}
            error={fieldErrors.firstName}
          />
          <TextField
            label={t('fields.lastName')}
            autoComplete="family-name"
            required
            maxLength={100}
            value={lastName}
            onChange={(event) => {
              setLastName(event.target.value);
              setSaved(false);
            }}
            error={fieldErrors.lastName}
          />
        </div>
        <div className="form__actions">
          <Button type="submit" busy={busy} disabled={unchanged}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function PasswordForm({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<'currentPassword' | 'newPassword'>>({});
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const errors = {
      currentPassword: currentPassword ? undefined : t('validation.required'),
      newPassword: !newPassword
        ? t('validation.required')
        : !isLongEnough(newPassword)
          ? t('errors.MISSIVE_WEAK_PASSWORD')
          : newPassword === currentPassword
            ? t('account.samePassword')
            : undefined,
    };
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const outcome = await run(() => meApi.changePassword({ currentPassword, newPassword }));
    if (outcome.ok) {
      setCurrentPassword('');
      setNewPassword('');
      setSaved(true);
    }
  }

  const code = errorCode(error);
  const currentError = code === 'MISSIVE_INVALID_CREDENTIALS' ? t('account.wrongCurrentPassword') : undefined;
  const newError =
    code === 'MISSIVE_WEAK_PASSWORD' || code === 'MISSIVE_COMMON_PASSWORD' ? t(`errors.${code}`) : undefined;

  return (
    <Card title={t('account.passwordTitle')}>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} message={currentError} />
        <div aria-live="polite">
          {saved ? <Alert tone="success">{t('account.passwordSaved')}</Alert> : null}
        </div>
        <input type="email" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
        <PasswordField
          label={t('fields.currentPassword')}
          autoComplete="current-password"
          value={currentPassword}
          onChange={setCurrentPassword}
          error={fieldErrors.currentPassword ?? currentError}
        />
        <PasswordField
          label={t('fields.newPassword')}
          autoComplete="new-password"
          value={newPassword}
          onChange={setNewPassword}
          showPolicy
          error={fieldErrors.newPassword ?? newError}
        />
        <div className="form__actions">
          <Button type="submit" busy={busy}>
            {t('account.changePassword')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
