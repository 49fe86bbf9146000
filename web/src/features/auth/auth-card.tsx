import type { ReactNode } from 'react';
import { PageHeader } from '../../components/page-header';

/** The framed single-column layout of the sign-in, sign-up and e-mail link pages. */
export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="card auth-card">
      <PageHeader title={title} description={description} />
      {children}
      {footer ? <div className="auth-links">{footer}</div> : null}
    </div>
  );
}
