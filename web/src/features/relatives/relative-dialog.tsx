import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Relative } from '../../../../src/contracts/care';
import { type RelativeBody, relativesApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import {
  type DateParts,
  DatePartsField,
  datePartsToIso,
  EMPTY_DATE,
} from '../../components/date-parts-field';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { Select } from '../../components/select';
import { TextField } from '../../components/text-field';
import { issuesByField } from '../../i18n/errors';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors } from '../../lib/validation';

type Field = 'firstName' | 'lastName' | 'birthDate';
type Values = {
  relationship: 'child' | 'dependent';
  firstName: string;
  lastName: string;
  birthDate: DateParts;
  sex: '' | 'female' | 'male' | 'other';
};

function isoToParts(iso: string): DateParts {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

function initialValues(profile: Relative | undefined): Values {
  if (!profile) return { relationship: 'child', firstName: '', lastName: '', birthDate: EMPTY_DATE, sex: '' };
  return {
    relationship: profile.relationship === 'dependent' ? 'dependent' : 'child',
    firstName: profile.firstName,
    lastName: profile.lastName,
    birthDate: isoToParts(profile.birthDate),
    sex: profile.sex ?? '',
  };
}

function todayIso(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type RelativeDialogProps = {
  editing: { mode: 'add' } | { mode: 'edit'; profile: Relative } | null;
  onClose: () => void;
  onSaved: (profile: Relative, created: boolean) => void;
};

/** Add or correct a relative: a child, or an adult whose care the account holder manages. */
export function RelativeDialog({ editing, onClose, onSaved }: RelativeDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const profile = editing?.mode === 'edit' ? editing.profile : undefined;
  const [values, setValues] = useState<Values>(() => initialValues(profile));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const { busy, error, setError, run } = useSubmit();

  // A fresh form each time the dialog opens (a failed save keeps what was typed: the dialog stays open).
  useEffect(() => {
    if (!editing) return;
    setValues(initialValues(editing.mode === 'edit' ? editing.profile : undefined));
    setFieldErrors({});
    setError(null);
  }, [editing, setError]);

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((previous) => ({ ...previous, [key]: value }));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const required = t('validation.required');
    const birthDate = datePartsToIso(values.birthDate);
    const { day, month, year } = values.birthDate;
    const errors: FieldErrors<Field> = {
      firstName: values.firstName.trim() ? undefined : required,
      lastName: values.lastName.trim() ? undefined : required,
      birthDate:
        !day && !month && !year
          ? required
          : !birthDate || birthDate < '1900-01-01'
            ? t('validation.date')
            : birthDate > todayIso()
              ? t('validation.birthDateFuture')
              : undefined,
    };
    setFieldErrors(errors);
    if (hasErrors(errors) || !birthDate) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const body: RelativeBody = {
      relationship: values.relationship,
      firstName: values.firstName.trim(),
      lastName: values.lastName.trim(),
      birthDate,
      sex: values.sex === '' ? null : values.sex,
    };
    const outcome = await run(() =>
      profile ? relativesApi.update(profile.id, body) : relativesApi.create(body),
    );
    if (outcome.ok) onSaved(outcome.value, !profile);
    else {
      setFieldErrors(issuesByField(t, outcome.error));
      focusFirstInvalid(formRef.current);
    }
  }

  return (
    <Dialog
      open={editing !== null}
      title={
        profile
          ? t('relatives.editTitle', { name: `${profile.firstName} ${profile.lastName}` })
          : t('relatives.addTitle')
      }
      onClose={() => {
        if (!busy) onClose();
      }}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={busy}>
            {profile ? t('common.save') : t('relatives.addSubmit')}
          </Button>
        </>
      }
    >
      <form id={formId} ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <fieldset className="fieldset">
          <legend className="fieldset__legend">{t('relatives.relationshipLabel')}</legend>
          <div className="segmented">
            {(['child', 'dependent'] as const).map((relationship) => (
              <label key={relationship} className="segmented__option">
                <input
                  type="radio"
                  name="relationship"
                  value={relationship}
                  checked={values.relationship === relationship}
                  onChange={() => set('relationship', relationship)}
                />
                <span>{t(`relatives.relationship.${relationship}`)}</span>
              </label>
            ))}
          </div>
          <p className="field__hint">{t('relatives.relationshipHint')}</p>
        </fieldset>
        <div className="form__row">
          <TextField
            label={t('fields.firstName')}
            autoComplete="off"
            required
            maxLength={100}
            value={values.firstName}
            onChange={(event) => set('firstName', event.target.value)}
            error={fieldErrors.firstName}
          />
          <TextField
            label={t('fields.lastName')}
            autoComplete="off"
            required
            maxLength={100}
            value={values.lastName}
            onChange={(event) => set('lastName', event.target.value)}
            error={fieldErrors.lastName}
          />
        </div>
        <DatePartsField
          legend={t('fields.birthDate')}
          hint={t('relatives.birthDateHint')}
          value={values.birthDate}
          onChange={(value) => set('birthDate', value)}
          error={fieldErrors.birthDate}
        />
        <Select
          label={t('relatives.sexLabel')}
          optionalText={t('common.optional')}
          value={values.sex}
          onChange={(event) => set('sex', event.target.value as Values['sex'])}
          placeholder={t('relatives.sexUnspecified')}
          options={[
            { value: 'female', label: t('relatives.sex.female') },
            { value: 'male', label: t('relatives.sex.male') },
            { value: 'other', label: t('relatives.sex.other') },
          ]}
        />
      </form>
    </Dialog>
  );
}
