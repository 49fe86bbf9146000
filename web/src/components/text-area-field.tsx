import { type Ref, type TextareaHTMLAttributes, useId } from 'react';
import { describedBy, type FieldChrome, FieldMessages } from './text-field';

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> &
  FieldChrome & { ref?: Ref<HTMLTextAreaElement> };

/** A multi-line text field, with the same label, hint and error chrome as TextField. */
export function TextAreaField({
  label,
  hint,
  error,
  optionalText,
  className,
  ref,
  rows = 3,
  ...textarea
}: TextAreaFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optionalText ? <span className="field__optional"> ({optionalText})</span> : null}
      </label>
      <textarea
        {...textarea}
        ref={ref}
        id={id}
        rows={rows}
        className="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
      />
      <FieldMessages hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}
