import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../../src/contracts/care';
import { agendaApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/form-error';
import { TextField } from '../../components/text-field';
import { issuesByField } from '../../i18n/errors';
import { formatDay, isIsoDate } from '../../lib/time';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors } from '../../lib/validation';

type Closure = Schedule['exceptions'][number];
type Field = 'startsOn' | 'endsOn' | 'label';

/** Days without consultations (holidays, training): no slot is offered on them. */
export function ClosuresCard({
  practiceId,
  practitionerId,
  initial,
}: {
  practiceId: string;
  practitionerId: string;
  initial: Closure[];
}) {
  const { t, i18n } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [closures, setClosures] = useState(initial);
  const [values, setValues] = useState({ startsOn: '', endsOn: '', label: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);
  const add = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const required = t('validation.required');
    const endsOn = values.endsOn || values.startsOn;
    const errors: FieldErrors<Field> = {
      startsOn: !values.startsOn ? required : isIsoDate(values.startsOn) ? undefined : t('validation.date'),
      endsOn:
        values.endsOn && !isIsoDate(values.endsOn)
          ? t('validation.date')
          : isIsoDate(values.startsOn) && endsOn < values.startsOn
            ? t('openingHours.closureEndBeforeStart')
            : undefined,
      label: values.label.trim() ? undefined : required,
    };
    setFieldErrors(errors);
    if (hasErrors(errors)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const outcome = await add.run(() =>
      agendaApi.addClosure(practiceId, practitionerId, {
        startsOn: values.startsOn,
        endsOn,
        label: values.label.trim(),
      }),
    );
    if (outcome.ok) {
      setClosures(outcome.value.exceptions);
      setValues({ startsOn: '', endsOn: '', label: '' });
    } else {
      const byField = issuesByField(t, outcome.error);
      if (byField.endsOn) byField.endsOn = t('openingHours.closureEndBeforeStart');
      setFieldErrors(byField);
    }
  }

  async function remove(closure: Closure) {
    setRemoving(closure.id);
    setRemoveError(null);
    try {
      setClosures((await agendaApi.removeClosure(practiceId, practitionerId, closure.id)).exceptions);
    } catch (error) {
      setRemoveError(error);
    } finally {
      setRemoving(null);
    }
  }

  const datesOf = (row: Closure) =>
    row.startsOn === row.endsOn
      ? formatDay(row.startsOn, i18n.language, 'full')
      : t('openingHours.closureRange', {
          from: formatDay(row.startsOn, i18n.language, 'full'),
          to: formatDay(row.endsOn, i18n.language, 'full'),
        });

  return (
    <Card title={t('openingHours.closuresTitle')} description={t('openingHours.closuresDescription')}>
      <div className="stack">
        <FormError error={removeError} />
        {closures.length === 0 ? (
          <p className="empty-state">{t('openingHours.noClosures')}</p>
        ) : (
          // A list rather than a table: the card sits in a narrow column beside the week on wide screens.
          <ul className="closure-list" aria-label={t('openingHours.closuresTitle')}>
            {[...closures]
              .sort((a, b) => a.startsOn.localeCompare(b.startsOn))
              .map((row) => (
                <li key={row.id} className="closure-list__item">
                  <div className="closure-list__text">
                    <p className="closure-list__label">{row.label}</p>
                    <p className="closure-list__dates">{datesOf(row)}</p>
                  </div>
                  <Button
                    variant="danger-outline"
                    small
                    busy={removing === row.id}
                    onClick={() => void remove(row)}
                  >
                    {t('openingHours.removeClosure')}
                    <span className="visually-hidden"> {row.label}</span>
                  </Button>
                </li>
              ))}
          </ul>
        )}
        <form ref={formRef} className="form subform" onSubmit={submit} noValidate>
          <h3 className="h4">{t('openingHours.addClosure')}</h3>
          <FormError error={add.error} />
          <div className="form__row closure-dates">
            <TextField
              label={t('openingHours.closureFrom')}
              type="date"
              value={values.startsOn}
              onChange={(event) => setValues({ ...values, startsOn: event.target.value })}
              error={fieldErrors.startsOn}
            />
            <TextField
              label={t('openingHours.closureTo')}
              hint={t('openingHours.closureToHint')}
              optionalText={t('common.optional')}
              type="date"
              min={values.startsOn || undefined}
              value={values.endsOn}
              onChange={(event) => setValues({ ...values, endsOn: event.target.value })}
              error={fieldErrors.endsOn}
            />
          </div>
          <TextField
            label={t('openingHours.closureLabel')}
            hint={t('openingHours.closureLabelHint')}
            maxLength={100}
            value={values.label}
            onChange={(event) => setValues({ ...values, label: event.target.value })}
            error={fieldErrors.label}
          />
          <div className="form__actions">
            <Button type="submit" variant="secondary" busy={add.busy}>
              {t('openingHours.addClosureSubmit')}
            </Button>
          </div>
        </form>
      </div>
    </Card>
  );
}
