import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminPractitioner } from '../../../../src/contracts/admin';
import type { Practice } from '../../../../src/contracts/practices';
import { adminApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ConfirmDialog } from '../../components/dialog';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { type Column, Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { PractitionerForm } from './practitioner-form';

type PractitionersSectionProps = {
  practitioners: readonly AdminPractitioner[];
  practices: readonly Practice[];
  onChanged: (practitioner: AdminPractitioner) => void;
  onPracticesChanged: () => void;
};

export function PractitionersSection({
  practitioners,
  practices,
  onChanged,
  onPracticesChanged,
}: PractitionersSectionProps) {
  const { t, i18n } = useTranslation();
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<AdminPractitioner | null>(null);
  const [toVerify, setToVerify] = useState<AdminPractitioner | null>(null);
  const [verified, setVerified] = useState<AdminPractitioner | null>(null);
  const verify = useSubmit();
  const awaiting = practitioners.filter((practitioner) => !practitioner.verified).length;
  const fullName = (practitioner: AdminPractitioner) => `${practitioner.firstName} ${practitioner.lastName}`;

  async function confirmVerify() {
    if (!toVerify) return;
    const userId = toVerify.userId;
    const outcome = await verify.run(() => adminApi.verifyPractitioner(userId));
    if (outcome.ok) {
      onChanged(outcome.value);
      setVerified(outcome.value);
      setToVerify(null);
    }
  }

  const columns: Column<AdminPractitioner>[] = [
    {
      key: 'name',
      header: t('fields.name'),
      label: t('fields.name'),
      rowHeader: true,
      render: (row) => (
        <span className="stack-tight">
          <span>{fullName(row)}</span>
          <EmailAddress className="small muted cell-email" email={row.email} />
        </span>
      ),
    },
    {
      key: 'rpps',
      header: t('fields.rpps'),
      label: t('fields.rpps'),
      render: (row) => <span className="mono">{row.rpps}</span>,
    },
    {
      key: 'specialty',
      header: t('fields.specialty'),
      label: t('fields.specialty'),
      render: (row) => row.specialty,
    },
    {
      key: 'practices',
      header: t('admin.practiceColumn'),
      label: t('admin.practiceColumn'),
      render: (row) =>
        row.practices.length === 0 ? '—' : row.practices.map((practice) => practice.name).join(', '),
    },
    {
      key: 'account',
      header: t('admin.accountColumn'),
      label: t('admin.accountColumn'),
      render: (row) => (
        <span className="stack-tight stack-badges">
          {row.activated ? (
            <Badge tone="success">{t('admin.activated')}</Badge>
          ) : (
            <Badge tone="warning">{t('admin.notActivated')}</Badge>
          )}
          {row.mfaEnrolled ? (
            <Badge tone="success">{t('admin.twoStepOn')}</Badge>
          ) : (
            <Badge tone="neutral">{t('admin.twoStepOff')}</Badge>
          )}
        </span>
      ),
    },
    {
      key: 'verified',
      header: t('admin.verificationColumn'),
      label: t('admin.verificationColumn'),
      render: (row) =>
        row.verified ? (
          <span className="stack-tight">
            <Badge tone="success" dot>
              {t('practitioner.verified')}
            </Badge>
            {row.verifiedAt ? (
              <span className="small muted">{formatDateTime(row.verifiedAt, i18n.language)}</span>
            ) : null}
          </span>
        ) : (
          <Button
            small
            onClick={() => {
              verify.setError(null);
              setVerified(null);
              setToVerify(row);
            }}
          >
            {t('admin.verify')}
            <span className="visually-hidden"> {fullName(row)}</span>
          </Button>
        ),
    },
  ];

  return (
    <Card
      title={t('admin.practitionersTitle')}
      description={
        awaiting > 0
          ? t('admin.awaitingCount', { count: awaiting })
          : t('admin.practitionersCount', { count: practitioners.length })
      }
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
            {t('admin.addPractitioner')}
          </Button>
        )
      }
    >
      <div className="stack">
        <div aria-live="polite">
          {created ? (
            <Alert tone="success">
              {t('admin.practitionerCreated', { name: fullName(created), email: created.email })}
            </Alert>
          ) : null}
          {verified ? (
            <Alert tone="success">{t('admin.practitionerVerified', { name: fullName(verified) })}</Alert>
          ) : null}
        </div>
        {formOpen ? (
          <PractitionerForm
            practices={practices}
            onCancel={() => setFormOpen(false)}
            onPracticesChanged={onPracticesChanged}
            onCreated={(practitioner) => {
              onChanged(practitioner);
              setCreated(practitioner);
              setFormOpen(false);
            }}
          />
        ) : null}
        <Table
          caption={t('admin.practitionersTitle')}
          columns={columns}
          rows={practitioners}
          rowKey={(row) => row.userId}
          empty={t('admin.noPractitioners')}
        />
      </div>
      <ConfirmDialog
        open={toVerify !== null}
        title={t('admin.verifyTitle', { name: toVerify ? fullName(toVerify) : '' })}
        confirmLabel={t('admin.verifyConfirm')}
        busy={verify.busy}
        onConfirm={() => void confirmVerify()}
        onCancel={() => setToVerify(null)}
      >
        {toVerify ? (
          <div className="stack">
            <p>{t('admin.verifyText')}</p>
            <dl className="details">
              <dt>{t('fields.name')}</dt>
              <dd>{fullName(toVerify)}</dd>
              <dt>{t('fields.rpps')}</dt>
              <dd className="mono">{toVerify.rpps}</dd>
              <dt>{t('fields.specialty')}</dt>
              <dd>{toVerify.specialty}</dd>
            </dl>
            <FormError error={verify.error} />
          </div>
        ) : null}
      </ConfirmDialog>
    </Card>
  );
}
