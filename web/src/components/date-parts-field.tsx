import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { describedBy } from './text-field';

export type DateParts = { day: string; month: string; year: string };

export const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

/** "7", "3", "1984" → "1984-03-07", or null when the parts do not make a real calendar date. */
export function datePartsToIso({ day, month, year }: DateParts): string | null {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    date.getUTCFullYear() !== Number(year) ||
    date.getUTCMonth() !== Number(month) - 1 ||
    date.getUTCDate() !== Number(day)
  ) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

type DatePartsFieldProps = {
  legend: string;
  hint?: string;
  error?: string | undefined;
  value: DateParts;
  onChange: (value: DateParts) => void;
  /** Autocomplete tokens for a birth date (bday-day, bday-month, bday-year). */
  birthDate?: boolean;
};

/**
 * A date typed as day, month and year: easier than a calendar picker for dates people know by heart
 * (a birth date decades ago), and the same order in French, Italian and English.
 */
export function DatePartsField({
  legend,
  hint,
  error,
  value,
  onChange,
  birthDate = false,
}: DatePartsFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const parts = [
    {
      key: 'day' as const,
      label: t('date.day'),
      maxLength: 2,
      className: 'date-parts__day',
      autoComplete: 'bday-day',
    },
    {
      key: 'month' as const,
      label: t('date.month'),
      maxLength: 2,
      className: 'date-parts__month',
      autoComplete: 'bday-month',
    },
    {
      key: 'year' as const,
      label: t('date.year'),
      maxLength: 4,
      className: 'date-parts__year',
      autoComplete: 'bday-year',
    },
  ];
  return (
    <fieldset
      className="fieldset field"
      aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
    >
      <legend className="fieldset__legend field__label">{legend}</legend>
      {hint ? (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      ) : null}
      <div className="date-parts">
        {parts.map((part) => (
          <div key={part.key} className={`field ${part.className}`}>
            <label htmlFor={`${id}-${part.key}`} className="date-parts__label">
              {part.label}
            </label>
            <input
              id={`${id}-${part.key}`}
              className="input"
              inputMode="numeric"
              pattern="[0-9]*"
              maxLength={part.maxLength}
              autoComplete={birthDate ? part.autoComplete : 'off'}
              value={value[part.key]}
              aria-invalid={error ? true : undefined}
              onChange={(event) => onChange({ ...value, [part.key]: event.target.value.replace(/\D/g, '') })}
            />
          </div>
        ))}
      </div>
      {error ? (
        <div id={errorId} className="field__error">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
