import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './text-field';

type CodeFieldProps = {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  ref?: Ref<HTMLInputElement>;
};

/** The 6-digit code from an authenticator app; phones offer it from the keyboard (one-time-code). */
export function CodeField({ value, onChange, error, ref }: CodeFieldProps) {
  const { t } = useTranslation();
  return (
    <TextField
      ref={ref}
      label={t('security.codeLabel')}
      hint={t('security.codeHint')}
      name="code"
      value={value}
      onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]*"
      maxLength={6}
      required
      inputClassName="input--code"
      error={error}
    />
  );
}
