import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Practice } from '../../../../src/contracts/practices';
import { agendaApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/form-error';
import { TextField } from '../../components/text-field';
import { issuesByField } from '../../i18n/errors';
import { useSubmit } from '../../lib/use-submit';

/** Practice settings for its administrators: until when patients may cancel online. */
export function PracticeSettingsCard({
  practice,
  onSaved,
}: {
  practice: Practice;
  onSaved: (practice: Practice) => void;
}) {
  const { t } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const [hours, setHours] = useState(String(practice.cancellationDeadlineHours));
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const value = Number(hours);
    if (!/^\d+$/.test(hours.trim()) || value > 168) {
      setFieldError(t('settings.deadlineInvalid'));
      inputRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    const outcome = await run(() => agendaApi.updateSettings(practice.id, value));
    if (outcome.ok) {
      setSaved(true);
      onSaved(outcome.value);
    } else {
      setFieldError(issuesByField(t, outcome.error).cancellationDeadlineHours);
    }
  }

  return (
    <Card title={t('settings.title')} description={t('settings.description')}>
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        <TextField
          ref={inputRef}
          label={t('settings.deadline')}
          hint={t('settings.deadlineHint')}
          type="number"
          inputMode="numeric"
          min={0}
          max={168}
          value={hours}
          onChange={(event) => {
            setHours(event.target.value);
            setSaved(false);
          }}
          error={fieldError}
          inputClassName="input--short"
          addon={<span className="input-suffix">{t('settings.hours')}</span>}
        />
        <p className="small muted">
          {Number(hours) > 0 && /^\d+$/.test(hours.trim())
            ? t('settings.deadlineExample', { count: Number(hours) })
            : t('settings.deadlineZero')}
        </p>
        <div aria-live="polite">{saved ? <Alert tone="success">{t('settings.saved')}</Alert> : null}</div>
        <div className="form__actions">
          <Button type="submit" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
