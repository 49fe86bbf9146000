import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PracticeRight } from '../../../../src/contracts/accounts';
import type { Invitation } from '../../../../src/contracts/practices';
import { practicesApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Checkbox, Toggle } from '../../components/checkbox';
import { FormError } from '../../components/form-error';
import { TextField } from '../../components/text-field';
import { issuesByField } from '../../i18n/errors';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { isEmail } from '../../lib/validation';
import { RIGHTS, withRight } from './rights';

export function InviteForm({
  practiceId,
  onInvited,
}: {
  practiceId: string;
  onInvited: (invitation: Invitation) => void;
}) {
  const { t, i18n } = useTranslation();
  const emailRef = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState('');
  const [rights, setRights] = useState<PracticeRight[]>(['messaging']);
  const [isAdmin, setIsAdmin] = useState(false);
  const [emailError, setEmailError] = useState<string | undefined>();
  const [sent, setSent] = useState<Invitation | null>(null);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(null);
    if (!isEmail(email)) {
      setEmailError(email.trim() ? t('validation.email') : t('validation.required'));
      emailRef.current?.focus();
      return;
    }
    setEmailError(undefined);
    const outcome = await run(() =>
      practicesApi.invite(practiceId, { email: email.trim(), role: 'assistant', rights, isAdmin }),
    );
    if (outcome.ok) {
      onInvited(outcome.value);
      setSent(outcome.value);
      setEmail('');
      setRights(['messaging']);
      setIsAdmin(false);
    } else {
      setEmailError(issuesByField(t, outcome.error).email);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <FormError error={error} />
      <div aria-live="polite">
        {sent ? (
          <Alert tone="success">
            {t('team.invitationSent', {
              email: sent.email,
              date: formatDateTime(sent.expiresAt, i18n.language, true),
            })}
          </Alert>
        ) : null}
      </div>
      <TextField
        ref={emailRef}
        label={t('fields.email')}
        type="email"
        autoComplete="off"
        inputMode="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        maxLength={254}
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={emailError}
        className="invite-email"
      />
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('team.rights')}</legend>
        <div className="rights-grid">
          {RIGHTS.map((right) => (
            <Checkbox
              key={right}
              label={t(`rights.${right}.label`)}
              hint={t(`rights.${right}.description`)}
              checked={rights.includes(right)}
              onChange={(event) => setRights((current) => withRight(current, right, event.target.checked))}
            />
          ))}
        </div>
      </fieldset>
      <Toggle
        label={t('team.makeAdmin')}
        hint={t('team.makeAdminHint')}
        checked={isAdmin}
        onChange={(event) => setIsAdmin(event.target.checked)}
      />
      <div className="form__actions">
        <Button type="submit" busy={busy}>
          {t('team.sendInvitation')}
        </Button>
      </div>
    </form>
  );
}
