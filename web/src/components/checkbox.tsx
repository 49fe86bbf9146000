import { type InputHTMLAttributes, type ReactNode, type Ref, useId } from 'react';

type CheckProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'id'> & {
  label: ReactNode;
  hint?: ReactNode;
  /** Hide the label visually (tables where the column header already says what it is). */
  hideLabel?: boolean;
  ref?: Ref<HTMLInputElement>;
};

export function Checkbox({ label, hint, hideLabel = false, className, ref, ...input }: CheckProps) {
  const id = useId();
  return (
    <div className={['check', className].filter(Boolean).join(' ')}>
      <input
        {...input}
        ref={ref}
        id={id}
        type="checkbox"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <span className="check__text">
        <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
          {label}
        </label>
        {hint ? (
          <span id={`${id}-hint`} className="check__hint">
            {hint}
          </span>
        ) : null}
      </span>
    </div>
  );
}

/** An on/off switch: a native checkbox with role="switch", so keyboards and screen readers get it for free. */
export function Toggle({ label, hint, hideLabel = false, className, ref, ...input }: CheckProps) {
  const id = useId();
  return (
    <div className={['switch', className].filter(Boolean).join(' ')}>
      <input
        {...input}
        ref={ref}
        id={id}
        type="checkbox"
        role="switch"
        aria-checked={Boolean(input.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <span className="check__text">
        <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
          {label}
        </label>
        {hint ? (
          <span id={`${id}-hint`} className="check__hint">
            {hint}
          </span>
        ) : null}
      </span>
    </div>
  );
}
