import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminPractitioner, CreatePractitionerBody } from '../../../../src/contracts/admin';
import type { Practice } from '../../../../src/contracts/practices';
import { adminApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { Toggle } from '../../components/checkbox';
import { FormError } from '../../components/form-error';
import { Select } from '../../components/select';
import { TextField } from '../../components/text-field';
import { errorCode, issuesByField } from '../../i18n/errors';
import { isValidRpps, normaliseRpps } from '../../lib/rpps';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors, isEmail } from '../../lib/validation';
import {
  EMPTY_PRACTICE,
  type PracticeDraft,
  type PracticeField,
  PracticeFields,
  toPracticeBody,
  validatePractice,
} from './practice-fields';

type Field = 'firstName' | 'lastName' | 'email' | 'specialty' | 'rpps' | 'practiceId';

type PractitionerFormProps = {
  practices: readonly Practice[];
  onCreated: (practitioner: AdminPractitioner) => void;
  /** A new practice was created with the practitioner: the practices list must be fetched again. */
  onPracticesChanged: () => void;
  onCancel: () => void;
};

function rppsMessage(value: string, t: (key: string) => string): string | undefined {
  const digits = normaliseRpps(value);
  if (digits.length === 0) return t('validation.required');
  if (!/^\d+$/.test(digits)) return t('admin.rppsDigitsOnly');
  if (digits.length !== 11) return t('admin.rppsLength');
  return isValidRpps(digits) ? undefined : t('errors.MISSIVE_INVALID_RPPS');
}

export function PractitionerForm({
  practices,
  onCreated,
  onPracticesChanged,
  onCancel,
}: PractitionerFormProps) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState({ firstName: '', lastName: '', email: '', specialty: '', rpps: '' });
  const [practiceMode, setPracticeMode] = useState<'existing' | 'new'>(
    practices.length > 0 ? 'existing' : 'new',
  );
  const [practiceId, setPracticeId] = useState('');
  const [newPractice, setNewPractice] = useState<PracticeDraft>(EMPTY_PRACTICE);
  const [isPracticeAdmin, setIsPracticeAdmin] = useState(true);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [practiceErrors, setPracticeErrors] = useState<FieldErrors<PracticeField>>({});
  const [rppsTouched, setRppsTouched] = useState(false);
  const { busy, error, run } = useSubmit();

  const set = (key: keyof typeof values, value: string) =>
    setValues((previous) => ({ ...previous, [key]: value }));

  // Instant feedback on the RPPS number once all 11 digits are typed, or after leaving the field.
  const rppsDigits = normaliseRpps(values.rpps);
  const liveRppsError = rppsTouched || rppsDigits.length >= 11 ? rppsMessage(values.rpps, t) : undefined;
  const rppsValid = rppsDigits.length === 11 && isValidRpps(rppsDigits);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const required = t('validation.required');
    const found: FieldErrors<Field> = {
      firstName: values.firstName.trim() ? undefined : required,
      lastName: values.lastName.trim() ? undefined : required,
      email: !values.email.trim() ? required : isEmail(values.email) ? undefined : t('validation.email'),
      specialty: !values.specialty.trim()
        ? required
        : values.specialty.trim().length < 2
          ? t('validation.too_small')
          : undefined,
      rpps: rppsMessage(values.rpps, t),
      practiceId: practiceMode === 'existing' && !practiceId ? t('admin.choosePractice') : undefined,
    };
    const foundPractice =
      practiceMode === 'new' ? validatePractice(newPractice, required, t('validation.too_small')) : {};
    setErrors(found);
    setPracticeErrors(foundPractice);
    setRppsTouched(true);
    if (hasErrors(found) || hasErrors(foundPractice)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const body: CreatePractitionerBody = {
      email: values.email.trim(),
      firstName: values.firstName.trim(),
      lastName: values.lastName.trim(),
      specialty: values.specialty.trim(),
      rpps: rppsDigits,
      isPracticeAdmin,
      ...(practiceMode === 'existing' ? { practiceId } : { newPractice: toPracticeBody(newPractice) }),
    };
    const outcome = await run(() => adminApi.createPractitioner(body));
    if (outcome.ok) {
      if (practiceMode === 'new') onPracticesChanged();
      onCreated(outcome.value);
      return;
    }
    const byField = issuesByField(t, outcome.error);
    const rpps =
      errorCode(outcome.error) === 'MISSIVE_INVALID_RPPS' ? t('errors.MISSIVE_INVALID_RPPS') : byField.rpps;
    const email =
      errorCode(outcome.error) === 'MISSIVE_EMAIL_TAKEN' ? t('errors.MISSIVE_EMAIL_TAKEN') : byField.email;
    setErrors({ ...byField, rpps, email });
    setPracticeErrors(
      Object.fromEntries(
        Object.entries(byField)
          .filter(([path]) => path.startsWith('newPractice.'))
          .map(([path, message]) => [path.slice('newPractice.'.length), message]),
      ),
    );
  }

  return (
    <form
      ref={formRef}
      className="form subform"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-practitioner-title"
    >
      <h3 id="new-practitioner-title">{t('admin.newPractitionerTitle')}</h3>
      <p className="muted small">{t('admin.newPractitionerHelp')}</p>
      <FormError error={error} />
      <div className="form__row">
        <TextField
          label={t('fields.firstName')}
          required
          maxLength={100}
          autoComplete="off"
          value={values.firstName}
          onChange={(event) => set('firstName', event.target.value)}
          error={errors.firstName}
        />
        <TextField
          label={t('fields.lastName')}
          required
          maxLength={100}
          autoComplete="off"
          value={values.lastName}
          onChange={(event) => set('lastName', event.target.value)}
          error={errors.lastName}
        />
      </div>
      <div className="form__row">
        <TextField
          label={t('fields.email')}
          type="email"
          required
          maxLength={254}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={values.email}
          onChange={(event) => set('email', event.target.value)}
          error={errors.email}
        />
        <TextField
          label={t('fields.specialty')}
          required
          maxLength={100}
          autoComplete="off"
          hint={t('admin.specialtyHint')}
          value={values.specialty}
          onChange={(event) => set('specialty', event.target.value)}
          error={errors.specialty}
        />
      </div>
      <TextField
        label={t('fields.rpps')}
        required
        inputMode="numeric"
        autoComplete="off"
        maxLength={20}
        className="rpps-field"
        inputClassName="mono"
        hint={rppsValid ? <span className="valid-hint">✓ {t('admin.rppsValid')}</span> : t('admin.rppsHint')}
        value={values.rpps}
        onChange={(event) => set('rpps', event.target.value)}
        onBlur={() => setRppsTouched(values.rpps.length > 0)}
        error={errors.rpps ?? liveRppsError}
      />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('admin.practiceColumn')}</legend>
        <div className="segmented">
          <label className="segmented__option">
            <input
              type="radio"
              name="practiceMode"
              value="existing"
              checked={practiceMode === 'existing'}
              disabled={practices.length === 0}
              onChange={() => setPracticeMode('existing')}
            />
            <span>{t('admin.existingPractice')}</span>
          </label>
          <label className="segmented__option">
            <input
              type="radio"
              name="practiceMode"
              value="new"
              checked={practiceMode === 'new'}
              onChange={() => setPracticeMode('new')}
            />
            <span>{t('admin.newPractice')}</span>
          </label>
        </div>
      </fieldset>
      {practiceMode === 'existing' ? (
        <Select
          label={t('admin.choosePracticeLabel')}
          value={practiceId}
          onChange={(event) => setPracticeId(event.target.value)}
          placeholder={t('admin.choosePracticePlaceholder')}
          options={practices.map((practice) => ({
            value: practice.id,
            label: `${practice.name} — ${practice.city}`,
          }))}
          error={errors.practiceId}
        />
      ) : (
        <PracticeFields value={newPractice} onChange={setNewPractice} errors={practiceErrors} />
      )}
      <Toggle
        label={t('admin.isPracticeAdmin')}
        hint={t('admin.isPracticeAdminHint')}
        checked={isPracticeAdmin}
        onChange={(event) => setIsPracticeAdmin(event.target.checked)}
      />
      <div className="form__actions">
        <Button type="submit" busy={busy}>
          {t('admin.createPractitioner')}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
