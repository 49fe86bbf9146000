import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Relative } from '../../../../src/contracts/care';
import { relativesApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { ShieldIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { errorCode, issuesByField } from '../../i18n/errors';
import { useSubmit } from '../../lib/use-submit';
import { isEmail } from '../../lib/validation';

type OwnAccountDialogProps = {
  profile: Relative | null;
  onClose: () => void;
  onSent: (email: string) => void;
};

/** A teenager may hold their own account: explains confidential mode, then mails them a link. */
export function OwnAccountDialog({ profile, onClose, onSent }: OwnAccountDialogProps) {
  const { t } = useTranslation();
  const formId = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const { busy, error, setError, run } = useSubmit();
  const open = profile !== null;
  const name = profile?.firstName ?? '';

  useEffect(() => {
    if (!open) return;
    setEmail('');
    setEmailError(undefined);
    setError(null);
  }, [open, setError]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!profile) return;
    if (!isEmail(email)) {
      setEmailError(email.trim() ? t('validation.email') : t('validation.required'));
      emailRef.current?.focus();
      return;
    }
    setEmailError(undefined);
    const address = email.trim();
    const outcome = await run(() => relativesApi.offerOwnAccount(profile.id, address));
    if (outcome.ok) onSent(address);
    else if (errorCode(outcome.error) === 'MISSIVE_EMAIL_TAKEN')
      setEmailError(t('relatives.ownAccountEmailTaken'));
    else setEmailError(issuesByField(t, outcome.error).email);
  }

  return (
    <Dialog
      open={open}
      title={t('relatives.ownAccountTitle', { name })}
      onClose={() => {
        if (!busy) onClose();
      }}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={busy}>
            {t('relatives.ownAccountSend')}
          </Button>
        </>
      }
    >
      <div className="stack">
        <p>{t('relatives.ownAccountIntro', { name })}</p>
        <div className="confidential">
          <h3 className="confidential__title">
            <ShieldIcon />
            {t('relatives.confidentialTitle')}
          </h3>
          <ul className="confidential__list">
            <li>{t('relatives.confidentialOwn', { name })}</li>
            <li>{t('relatives.confidentialHidden', { name })}</li>
            <li>{t('relatives.confidentialBefore')}</li>
            <li>{t('relatives.confidentialDetails', { name })}</li>
          </ul>
        </div>
        <form id={formId} className="form" onSubmit={submit} noValidate>
          <FormError error={error} />
          <TextField
            ref={emailRef}
            label={t('relatives.ownAccountEmail', { name })}
            hint={t('relatives.ownAccountEmailHint')}
            type="email"
            inputMode="email"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            required
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={emailError}
          />
        </form>
      </div>
    </Dialog>
  );
}
