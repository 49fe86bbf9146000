import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLongEnough, PASSWORD_MIN_LENGTH, passwordLength } from '../lib/password-policy';
import { TextField } from './text-field';

type PasswordFieldProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  error?: string | undefined;
  /** Show the live policy checklist (new passwords only). */
  showPolicy?: boolean;
  hint?: ReactNode;
  name?: string;
};

export function PasswordField({
  label,
  value,
  onChange,
  autoComplete,
  error,
  showPolicy = false,
  hint,
  name,
}: PasswordFieldProps) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  const length = passwordLength(value);
  const policy = showPolicy ? (
    <ul className="policy">
      <li data-met={isLongEnough(value)}>
        <span className="policy__mark" aria-hidden="true">
          {isLongEnough(value) ? '✓' : ''}
        </span>
        <span>
          {t('password.policyLength', { min: PASSWORD_MIN_LENGTH })}{' '}
          <span className="muted">
            ({t('password.policyCount', { current: length, min: PASSWORD_MIN_LENGTH })})
          </span>
        </span>
      </li>
      <li>
        <span className="policy__mark policy__mark--info" aria-hidden="true">
          i
        </span>
        <span>{t('password.policyCommon')}</span>
      </li>
    </ul>
  ) : (
    hint
  );
  return (
    <TextField
      label={label}
      name={name}
      type={visible ? 'text' : 'password'}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      autoComplete={autoComplete}
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      required
      maxLength={256}
      error={error}
      hint={policy}
      addon={
        <button
          type="button"
          className="btn btn--secondary"
          aria-pressed={visible}
          onClick={() => setVisible((shown) => !shown)}
        >
          {visible ? t('password.hide') : t('password.show')}
        </button>
      }
    />
  );
}
