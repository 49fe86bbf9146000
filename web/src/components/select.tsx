import { type Ref, type SelectHTMLAttributes, useId } from 'react';
import { describedBy, type FieldChrome, FieldMessages } from './text-field';

export type SelectOption = { value: string; label: string; lang?: string };

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> &
  FieldChrome & {
    options: readonly SelectOption[];
    /** First, empty choice ("Choose…") for selects without a sensible default. */
    placeholder?: string;
    ref?: Ref<HTMLSelectElement>;
    hideLabel?: boolean;
  };

export function Select({
  label,
  hint,
  error,
  optionalText,
  options,
  placeholder,
  className,
  hideLabel,
  ref,
  ...select
}: SelectProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className={hideLabel ? 'visually-hidden' : 'field__label'} htmlFor={id}>
        {label}
        {optionalText ? <span className="field__optional"> ({optionalText})</span> : null}
      </label>
      <select
        {...select}
        ref={ref}
        id={id}
        className="select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessages hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}
