import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from 'react';

export type FieldChrome = {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Shown after the label of fields that may be left empty ("optional"). */
  optionalText?: string;
};

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> &
  FieldChrome & {
    /** Rendered next to the input (a button to show a password, to copy a value…). */
    addon?: ReactNode;
    inputClassName?: string;
    ref?: Ref<HTMLInputElement>;
  };

export function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const list = ids.filter(Boolean).join(' ');
  return list.length > 0 ? list : undefined;
}

export function FieldMessages({
  hintId,
  errorId,
  hint,
  error,
}: {
  hintId: string;
  errorId: string;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  return (
    <>
      {hint ? (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={errorId} className="field__error">
          {error}
        </div>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  hint,
  error,
  optionalText,
  addon,
  inputClassName,
  className,
  ref,
  ...input
}: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const control = (
    <input
      {...input}
      ref={ref}
      id={id}
      className={['input', inputClassName].filter(Boolean).join(' ')}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(hint ? hintId : undefined, error ? errorId : undefined)}
    />
  );
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={id}>
        {label}
        {optionalText ? <span className="field__optional"> ({optionalText})</span> : null}
      </label>
      {addon ? (
        <div className="input-group">
          {control}
          {addon}
        </div>
      ) : (
        control
      )}
      <FieldMessages hintId={hintId} errorId={errorId} hint={hint} error={error} />
    </div>
  );
}
