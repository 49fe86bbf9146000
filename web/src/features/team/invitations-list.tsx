import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invitation } from '../../../../src/contracts/practices';
import { practicesApi } from '../../api/endpoints';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { type Column, Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { RIGHTS } from './rights';

type InvitationsListProps = {
  practiceId: string;
  invitations: readonly Invitation[];
  canManage: boolean;
  onRevoked: (invitationId: string) => void;
};

export function InvitationsList({ practiceId, invitations, canManage, onRevoked }: InvitationsListProps) {
  const { t, i18n } = useTranslation();
  const [toRevoke, setToRevoke] = useState<Invitation | null>(null);
  const revoke = useSubmit();

  async function confirmRevoke() {
    if (!toRevoke) return;
    const invitation = toRevoke;
    const outcome = await revoke.run(() => practicesApi.revokeInvitation(practiceId, invitation.id));
    if (outcome.ok) {
      setToRevoke(null);
      onRevoked(invitation.id);
    }
  }

  const columns: Column<Invitation>[] = [
    {
      key: 'email',
      header: t('fields.email'),
      label: t('fields.email'),
      rowHeader: true,
      render: (row) => <EmailAddress email={row.email} />,
    },
    {
      key: 'role',
      header: t('fields.role'),
      label: t('fields.role'),
      render: (row) => t(`roles.${row.role}`),
    },
    {
      key: 'rights',
      header: t('team.rights'),
      label: t('team.rights'),
      render: (row) =>
        row.rights.length === 0 && !row.isAdmin ? (
          <span className="muted">{t('team.noRights')}</span>
        ) : (
          <ul className="rights-list">
            {row.isAdmin ? (
              <li>
                <Badge tone="primary">{t('team.practiceAdmin')}</Badge>
              </li>
            ) : null}
            {RIGHTS.filter((right) => row.rights.includes(right)).map((right) => (
              <li key={right}>
                <Badge>{t(`rights.${right}.label`)}</Badge>
              </li>
            ))}
          </ul>
        ),
    },
    {
      key: 'dates',
      header: t('team.invitationValidity'),
      label: t('team.invitationValidity'),
      render: (row) => {
        const expired = row.expiresAt < Date.now();
        return (
          <span className="stack-tight">
            <span>{t('team.sentOn', { date: formatDateTime(row.createdAt, i18n.language) })}</span>
            {expired ? (
              <Badge tone="danger">{t('team.expired')}</Badge>
            ) : (
              <span className="small muted">
                {t('team.expiresOn', { date: formatDateTime(row.expiresAt, i18n.language, true) })}
              </span>
            )}
          </span>
        );
      },
    },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      header: <span className="visually-hidden">{t('common.actions')}</span>,
      label: t('common.actions'),
      render: (row) => (
        <Button
          variant="danger-outline"
          small
          onClick={() => {
            revoke.setError(null);
            setToRevoke(row);
          }}
        >
          {t('team.cancelInvitation')}
          <span className="visually-hidden"> {row.email}</span>
        </Button>
      ),
    });
  }

  return (
    <>
      <Table
        caption={t('team.invitationsTitle')}
        columns={columns}
        rows={invitations}
        rowKey={(row) => row.id}
        empty={t('team.noInvitations')}
      />
      <ConfirmDialog
        open={toRevoke !== null}
        title={t('team.cancelInvitationTitle')}
        confirmLabel={t('team.cancelInvitationConfirm')}
        confirmVariant="danger"
        busy={revoke.busy}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setToRevoke(null)}
      >
        <div className="stack">
          <p>{t('team.cancelInvitationText', { email: toRevoke?.email ?? '' })}</p>
          <FormError error={revoke.error} />
        </div>
      </ConfirmDialog>
    </>
  );
}
