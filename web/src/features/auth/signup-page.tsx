import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Country, Locale } from '../../../../src/contracts/common';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { DatePartsField, datePartsToIso, EMPTY_DATE } from '../../components/date-parts-field';
import { FormError } from '../../components/form-error';
import { LANGUAGE_NAMES } from '../../components/language-switcher';
import { PasswordField } from '../../components/password-field';
import { Select } from '../../components/select';
import { TextField } from '../../components/text-field';
import { errorCode, issuesByField } from '../../i18n/errors';
import { LOCALES } from '../../i18n/locale';
import { isLongEnough } from '../../lib/password-policy';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors, isEmail } from '../../lib/validation';
import { useSession } from '../../session/session';
import { AuthCard } from './auth-card';
import { ResendVerification } from './resend-verification';

type Field = 'firstName' | 'lastName' | 'email' | 'password' | 'birthDate' | 'country' | 'locale';

function todayIso(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function SignUpPage() {
  const { t } = useTranslation();
  const { locale } = useSession();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({
    firstName: '',
    lastName: '',
    email: '',
    password: '',
    birthDate: EMPTY_DATE,
    country: (locale === 'it' ? 'IT' : 'FR') as Country,
    locale: locale as Locale,
  });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();

  function set<K extends keyof typeof values>(key: K, value: (typeof values)[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
  }

  function validate(): FieldErrors<Field> {
    const required = t('validation.required');
    const birthDate = datePartsToIso(values.birthDate);
    const { day, month, year } = values.birthDate;
    return {
      firstName: values.firstName.trim() ? undefined : required,
      lastName: values.lastName.trim() ? undefined : required,
      email: !values.email.trim() ? required : isEmail(values.email) ? undefined : t('validation.email'),
      password: !values.password
        ? required
        : isLongEnough(values.password)
          ? undefined
          : t('errors.MISSIVE_WEAK_PASSWORD'),
      birthDate:
        !day && !month && !year
          ? required
          : !birthDate || birthDate < '1900-01-01'
            ? t('validation.date')
            : birthDate > todayIso()
              ? t('validation.birthDateFuture')
              : undefined,
    };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = validate();
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const email = values.email.trim();
    const outcome = await run(() =>
      authApi.signup({
        email,
        password: values.password,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        birthDate: datePartsToIso(values.birthDate) ?? '',
        country: values.country,
        locale: values.locale,
      }),
    );
    if (outcome.ok) {
      setSentTo(email);
    } else {
      const byField = issuesByField(t, outcome.error);
      if (Object.keys(byField).length > 0) {
        setFieldErrors(byField);
        focusFirstInvalid(formRef.current);
      }
    }
  }

  if (sentTo) {
    return (
      <AuthCard
        title={t('auth.signup.checkMailboxTitle')}
        footer={
          <p>
            <Link to="/signin">{t('auth.signup.goToSignIn')}</Link>
          </p>
        }
      >
        <div className="stack">
          <Alert tone="success">{t('auth.signup.checkMailbox', { email: sentTo })}</Alert>
          <p className="muted">{t('auth.signup.checkMailboxHelp')}</p>
          <ResendVerification email={sentTo} />
        </div>
      </AuthCard>
    );
  }

  const code = errorCode(error);
  const passwordServerError =
    code === 'MISSIVE_WEAK_PASSWORD' || code === 'MISSIVE_COMMON_PASSWORD' ? t(`errors.${code}`) : undefined;

  return (
    <AuthCard
      title={t('auth.signup.title')}
      description={t('auth.signup.description')}
      footer={
        <p>
          {t('auth.signup.haveAccount')} <Link to="/signin">{t('auth.signup.signIn')}</Link>
        </p>
      }
    >
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <div className="form__row">
          <TextField
            label={t('fields.firstName')}
            name="firstName"
            autoComplete="given-name"
            required
            maxLength={100}
            value={values.firstName}
            onChange={(event) => set('firstName', event.target.value)}
            error={fieldErrors.firstName}
          />
          <TextField
            label={t('fields.lastName')}
            name="lastName"
            autoComplete="family-name"
            required
            maxLength={100}
            value={values.lastName}
            onChange={(event) => set('lastName', event.target.value)}
            error={fieldErrors.lastName}
          />
        </div>
        <DatePartsField
          legend={t('fields.birthDate')}
          hint={t('auth.signup.birthDateHint')}
          value={values.birthDate}
          onChange={(value) => set('birthDate', value)}
          error={fieldErrors.birthDate}
          birthDate
        />
        <TextField
          label={t('fields.email')}
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="off"
          spellCheck={false}
          required
          maxLength={254}
          value={values.email}
          onChange={(event) => set('email', event.target.value)}
          error={fieldErrors.email}
        />
        <PasswordField
          label={t('fields.password')}
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={(value) => set('password', value)}
          showPolicy
          error={fieldErrors.password ?? passwordServerError}
        />
        <div className="form__row">
          <Select
            label={t('fields.country')}
            name="country"
            value={values.country}
            onChange={(event) => set('country', event.target.value as Country)}
            options={[
              { value: 'FR', label: t('countries.FR') },
              { value: 'IT', label: t('countries.IT') },
            ]}
            hint={t('auth.signup.countryHint')}
          />
          <Select
            label={t('fields.language')}
            name="locale"
            value={values.locale}
            onChange={(event) => set('locale', event.target.value as Locale)}
            options={LOCALES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code], lang: code }))}
            hint={t('auth.signup.languageHint')}
          />
        </div>
        <p className="small muted">{t('auth.signup.free')}</p>
        <div className="form__actions">
          <Button type="submit" busy={busy} block>
            {t('auth.signup.submit')}
          </Button>
        </div>
      </form>
    </AuthCard>
  );
}
