import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PracticeRight } from '../../../../src/contracts/accounts';
import type { Member, UpdateMemberBody } from '../../../../src/contracts/practices';
import { practicesApi } from '../../api/endpoints';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Checkbox, Toggle } from '../../components/checkbox';
import { ConfirmDialog } from '../../components/dialog';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { type Column, Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { RIGHTS, withRight } from './rights';

type MembersTableProps = {
  practiceId: string;
  practiceName: string;
  members: readonly Member[];
  currentUserId: string;
  canManage: boolean;
  onMemberChanged: (member: Member) => void;
  onMemberRemoved: (userId: string) => void;
};

export function MembersTable({
  practiceId,
  practiceName,
  members,
  currentUserId,
  canManage,
  onMemberChanged,
  onMemberRemoved,
}: MembersTableProps) {
  const { t, i18n } = useTranslation();
  const [pending, setPending] = useState<string | null>(null);
  const [updateError, setUpdateError] = useState<unknown>(null);
  const [toRevoke, setToRevoke] = useState<Member | null>(null);
  const revoke = useSubmit();

  async function update(member: Member, body: UpdateMemberBody) {
    setPending(member.userId);
    setUpdateError(null);
    // Show the change at once; put it back if the server refuses.
    onMemberChanged({ ...member, ...body });
    try {
      onMemberChanged(await practicesApi.updateMember(practiceId, member.userId, body));
    } catch (error) {
      onMemberChanged(member);
      setUpdateError(error);
    } finally {
      setPending(null);
    }
  }

  async function confirmRevoke() {
    if (!toRevoke) return;
    const member = toRevoke;
    const outcome = await revoke.run(() => practicesApi.revokeMember(practiceId, member.userId));
    if (outcome.ok) {
      setToRevoke(null);
      onMemberRemoved(member.userId);
    }
  }

  const fullName = (member: Member) => `${member.firstName} ${member.lastName}`;
  const editable = (member: Member) => canManage && member.userId !== currentUserId;

  const columns: Column<Member>[] = [
    {
      key: 'name',
      header: t('fields.name'),
      label: t('fields.name'),
      rowHeader: true,
      render: (member) => (
        <span className="stack-tight">
          <span className="member-name">
            {fullName(member)}
            {member.userId === currentUserId ? <Badge tone="primary">{t('team.you')}</Badge> : null}
          </span>
          <EmailAddress className="small muted cell-email" email={member.email} />
        </span>
      ),
    },
    {
      key: 'role',
      header: t('fields.role'),
      label: t('fields.role'),
      render: (member) => (
        <span className="stack-tight">
          <span>{t(`roles.${member.role}`)}</span>
          <span className="small muted">
            {t('team.since', { date: formatDateTime(member.since, i18n.language) })}
          </span>
        </span>
      ),
    },
    {
      key: 'admin',
      header: t('team.practiceAdmin'),
      label: t('team.practiceAdmin'),
      render: (member) =>
        editable(member) ? (
          <Toggle
            label={
              <>
                <span aria-hidden="true">{member.isAdmin ? t('common.yes') : t('common.no')}</span>
                <span className="visually-hidden">{t('team.adminOf', { name: fullName(member) })}</span>
              </>
            }
            checked={member.isAdmin}
            disabled={pending === member.userId}
            onChange={(event) => void update(member, { isAdmin: event.target.checked })}
          />
        ) : member.isAdmin ? (
          t('common.yes')
        ) : (
          t('common.no')
        ),
    },
    {
      key: 'rights',
      header: t('team.rights'),
      label: t('team.rights'),
      render: (member) =>
        editable(member) ? (
          <fieldset className="fieldset rights-fieldset">
            <legend className="visually-hidden">{t('team.rightsOf', { name: fullName(member) })}</legend>
            {RIGHTS.map((right: PracticeRight) => (
              <Checkbox
                key={right}
                label={t(`rights.${right}.label`)}
                checked={member.rights.includes(right)}
                disabled={pending === member.userId}
                onChange={(event) =>
                  void update(member, { rights: withRight(member.rights, right, event.target.checked) })
                }
              />
            ))}
          </fieldset>
        ) : member.rights.length === 0 ? (
          <span className="muted">{t('team.noRights')}</span>
        ) : (
          <ul className="rights-list">
            {RIGHTS.filter((right) => member.rights.includes(right)).map((right) => (
              <li key={right}>
                <Badge>{t(`rights.${right}.label`)}</Badge>
              </li>
            ))}
          </ul>
        ),
    },
    {
      key: 'mfa',
      header: t('team.twoStep'),
      label: t('team.twoStep'),
      render: (member) =>
        member.mfaEnrolled ? (
          <Badge tone="success" dot>
            {t('team.twoStepOn')}
          </Badge>
        ) : (
          <Badge tone="warning" dot>
            {t('team.twoStepOff')}
          </Badge>
        ),
    },
  ];

  if (canManage) {
    columns.push({
      key: 'actions',
      header: <span className="visually-hidden">{t('common.actions')}</span>,
      label: t('common.actions'),
      render: (member) =>
        editable(member) ? (
          <Button
            variant="danger-outline"
            small
            onClick={() => {
              revoke.setError(null);
              setToRevoke(member);
            }}
          >
            {t('team.revoke')}
            <span className="visually-hidden"> {fullName(member)}</span>
          </Button>
        ) : null,
    });
  }

  return (
    <div className="stack">
      <FormError error={updateError} />
      <Table
        caption={t('team.membersTitle')}
        columns={columns}
        rows={members}
        rowKey={(member) => member.userId}
        empty={t('team.noMembers')}
      />
      <ConfirmDialog
        open={toRevoke !== null}
        title={t('team.revokeTitle', { name: toRevoke ? fullName(toRevoke) : '' })}
        confirmLabel={t('team.revokeConfirm')}
        confirmVariant="danger"
        busy={revoke.busy}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setToRevoke(null)}
      >
        <div className="stack">
          <p>{t('team.revokeText', { name: toRevoke ? fullName(toRevoke) : '', practice: practiceName })}</p>
          <FormError error={revoke.error} />
        </div>
      </ConfirmDialog>
    </div>
  );
}
