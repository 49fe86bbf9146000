import { useTranslation } from 'react-i18next';
import type { Country } from '../../../../src/contracts/common';
import type { CreatePracticeBody } from '../../../../src/contracts/practices';
import { Select } from '../../components/select';
import { TextField } from '../../components/text-field';
import type { FieldErrors } from '../../lib/validation';

export type PracticeDraft = {
  name: string;
  address: string;
  postcode: string;
  city: string;
  country: Country;
  phone: string;
};
export type PracticeField = keyof PracticeDraft;

export const EMPTY_PRACTICE: PracticeDraft = {
  name: '',
  address: '',
  postcode: '',
  city: '',
  country: 'FR',
  phone: '',
};

/** Same limits as CreatePracticeBodySchema, checked before sending. */
export function validatePractice(
  draft: PracticeDraft,
  required: string,
  tooShort: string,
): FieldErrors<PracticeField> {
  const min = (value: string, length: number) =>
    !value.trim() ? required : value.trim().length < length ? tooShort : undefined;
  return {
    name: min(draft.name, 2),
    address: min(draft.address, 2),
    postcode: min(draft.postcode, 2),
    city: min(draft.city, 1),
  };
}

export function toPracticeBody(draft: PracticeDraft): CreatePracticeBody {
  const phone = draft.phone.trim();
  return {
    name: draft.name.trim(),
    address: draft.address.trim(),
    postcode: draft.postcode.trim(),
    city: draft.city.trim(),
    country: draft.country,
    timeZone: draft.country === 'IT' ? 'Europe/Rome' : 'Europe/Paris',
    phone: phone.length > 0 ? phone : null,
  };
}

type PracticeFieldsProps = {
  value: PracticeDraft;
  onChange: (value: PracticeDraft) => void;
  errors: FieldErrors<PracticeField>;
};

export function PracticeFields({ value, onChange, errors }: PracticeFieldsProps) {
  const { t } = useTranslation();
  const set = (key: PracticeField, next: string) => onChange({ ...value, [key]: next });
  return (
    <>
      <TextField
        label={t('fields.practiceName')}
        required
        maxLength={120}
        autoComplete="organization"
        value={value.name}
        onChange={(event) => set('name', event.target.value)}
        error={errors.name}
      />
      <TextField
        label={t('fields.address')}
        required
        maxLength={200}
        autoComplete="street-address"
        value={value.address}
        onChange={(event) => set('address', event.target.value)}
        error={errors.address}
      />
      <div className="form__row">
        <TextField
          label={t('fields.postcode')}
          required
          maxLength={12}
          autoComplete="postal-code"
          value={value.postcode}
          onChange={(event) => set('postcode', event.target.value)}
          error={errors.postcode}
        />
        <TextField
          label={t('fields.city')}
          required
          maxLength={100}
          autoComplete="address-level2"
          value={value.city}
          onChange={(event) => set('city', event.target.value)}
          error={errors.city}
        />
      </div>
      <div className="form__row">
        <Select
          label={t('fields.country')}
          value={value.country}
          onChange={(event) => set('country', event.target.value)}
          options={[
            { value: 'FR', label: t('countries.FR') },
            { value: 'IT', label: t('countries.IT') },
          ]}
        />
        <TextField
          label={t('fields.phone')}
          optionalText={t('common.optional')}
          type="tel"
          maxLength={30}
          autoComplete="tel"
          value={value.phone}
          onChange={(event) => set('phone', event.target.value)}
          error={errors.phone}
        />
      </div>
    </>
  );
}
