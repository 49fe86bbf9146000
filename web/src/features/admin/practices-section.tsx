import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Practice } from '../../../../src/contracts/practices';
import { adminApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/form-error';
import { type Column, Table } from '../../components/table';
import { issuesByField } from '../../i18n/errors';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { type FieldErrors, hasErrors } from '../../lib/validation';
import {
  EMPTY_PRACTICE,
  type PracticeDraft,
  type PracticeField,
  PracticeFields,
  toPracticeBody,
  validatePractice,
} from './practice-fields';

type PracticesSectionProps = { practices: readonly Practice[]; onCreated: (practice: Practice) => void };

export function PracticesSection({ practices, onCreated }: PracticesSectionProps) {
  const { t } = useTranslation();
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<Practice | null>(null);

  const columns: Column<Practice>[] = [
    {
      key: 'name',
      header: t('fields.practiceName'),
      label: t('fields.practiceName'),
      rowHeader: true,
      render: (practice) => (
        <span className="member-name">
          {practice.name}
          {practice.isDemo ? <Badge tone="warning">{t('admin.demo')}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'address',
      header: t('fields.address'),
      label: t('fields.address'),
      render: (practice) => (
        <span className="stack-tight">
          <span>{practice.address}</span>
          <span>
            {practice.postcode} {practice.city}
          </span>
        </span>
      ),
    },
    {
      key: 'country',
      header: t('fields.country'),
      label: t('fields.country'),
      render: (practice) => t(`countries.${practice.country}`),
    },
    {
      key: 'phone',
      header: t('fields.phone'),
      label: t('fields.phone'),
      render: (practice) =>
        practice.phone ? <a href={`tel:${practice.phone.replace(/\s+/g, '')}`}>{practice.phone}</a> : '—',
    },
  ];

  return (
    <Card
      title={t('admin.practicesTitle')}
      description={t('admin.practicesCount', { count: practices.length })}
      actions={
        formOpen ? null : (
          <Button
            variant="secondary"
            small
            onClick={() => {
              setCreated(null);
              setFormOpen(true);
            }}
          >
            {t('admin.addPractice')}
          </Button>
        )
      }
    >
      <div className="stack">
        <div aria-live="polite">
          {created ? (
            <Alert tone="success">{t('admin.practiceCreated', { name: created.name })}</Alert>
          ) : null}
        </div>
        {formOpen ? (
          <PracticeForm
            onCancel={() => setFormOpen(false)}
            onCreated={(practice) => {
              onCreated(practice);
              setCreated(practice);
              setFormOpen(false);
            }}
          />
        ) : null}
        <Table
          caption={t('admin.practicesTitle')}
          columns={columns}
          rows={practices}
          rowKey={(practice) => practice.id}
          empty={t('admin.noPractices')}
        />
      </div>
    </Card>
  );
}

function PracticeForm({
  onCreated,
  onCancel,
}: {
  onCreated: (practice: Practice) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<PracticeDraft>(EMPTY_PRACTICE);
  const [errors, setErrors] = useState<FieldErrors<PracticeField>>({});
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validatePractice(draft, t('validation.required'), t('validation.too_small'));
    setErrors(found);
    if (hasErrors(found)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const outcome = await run(() => adminApi.createPractice(toPracticeBody(draft)));
    if (outcome.ok) onCreated(outcome.value);
    else setErrors(issuesByField(t, outcome.error));
  }

  return (
    <form
      ref={formRef}
      className="form subform"
      onSubmit={submit}
      noValidate
      aria-labelledby="new-practice-title"
    >
      <h3 id="new-practice-title">{t('admin.newPracticeTitle')}</h3>
      <FormError error={error} />
      <PracticeFields value={draft} onChange={setDraft} errors={errors} />
      <div className="form__actions">
        <Button type="submit" busy={busy}>
          {t('admin.createPractice')}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
