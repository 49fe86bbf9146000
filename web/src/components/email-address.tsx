import { Fragment, type ReactNode } from 'react';

/** The text with a line-break opportunity before each dot ("claire<wbr>.martin"). */
function breakBeforeDots(text: string): ReactNode[] {
  let offset = 0;
  return text.split(/(?=\.)/).map((piece) => {
    const start = offset;
    offset += piece.length;
    return (
      <Fragment key={start}>
        {start > 0 ? <wbr /> : null}
        {piece}
      </Fragment>
    );
  });
}

/**
 * An e-mail address that wraps where a reader expects it to: first before the "@" (the local part and
 * the domain are each kept together while they fit), then before dots, never in the middle of a word
 * unless one word alone is wider than the column. The text stays the plain address, for screen readers
 * and copying.
 */
export function EmailAddress({ email, className }: { email: string; className?: string }) {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? email.slice(at) : '';
  return (
    <span className={['email-address', className].filter(Boolean).join(' ')} translate="no">
      <span className="email-address__part">{breakBeforeDots(local)}</span>
      {domain ? (
        <>
          <wbr />
          <span className="email-address__part">{breakBeforeDots(domain)}</span>
        </>
      ) : null}
    </span>
  );
}
