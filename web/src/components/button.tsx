import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { Link, type LinkProps } from 'react-router';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'ghost';

type StyleProps = { variant?: ButtonVariant; small?: boolean; block?: boolean };

export function buttonClassName(
  { variant = 'primary', small = false, block = false }: StyleProps,
  extra?: string,
) {
  return ['btn', `btn--${variant}`, small && 'btn--small', block && 'btn--block', extra]
    .filter(Boolean)
    .join(' ');
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> &
  StyleProps & {
    /** While true the button is disabled and shows a spinner: the form is being sent. */
    busy?: boolean;
    icon?: ReactNode;
    ref?: Ref<HTMLButtonElement>;
  };

export function Button({
  variant,
  small,
  block,
  busy = false,
  icon,
  className,
  type = 'button',
  disabled,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={buttonClassName({ variant, small, block }, className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : icon}
      {children}
    </button>
  );
}

type ButtonLinkProps = LinkProps & StyleProps;

/** A navigation link that looks like a button (it still navigates, so it stays a link for assistive tech). */
export function ButtonLink({ variant, small, block, className, ...rest }: ButtonLinkProps) {
  return <Link {...rest} className={buttonClassName({ variant, small, block }, className)} />;
}
