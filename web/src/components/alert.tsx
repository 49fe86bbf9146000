import type { ReactNode } from 'react';
import { CheckCircleIcon, InfoIcon, WarningIcon } from './icons';

export type AlertTone = 'info' | 'success' | 'warning' | 'danger';

type AlertProps = {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** "alert" interrupts a screen reader; use it only for errors that appear after an action. */
  role?: 'alert' | 'status';
};

export function Alert({ tone = 'info', title, children, className, role }: AlertProps) {
  const Icon = tone === 'success' ? CheckCircleIcon : tone === 'info' ? InfoIcon : WarningIcon;
  return (
    <div className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')} role={role}>
      <Icon className="alert__icon" />
      <div className="alert__body">
        {title ? <strong className="alert__title">{title}</strong> : null}
        {children}
      </div>
    </div>
  );
}
