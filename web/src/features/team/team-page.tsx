import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Invitation, Member } from '../../../../src/contracts/practices';
import { practicesApi } from '../../api/endpoints';
import { Card } from '../../components/card';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading } from '../../components/spinner';
import { useResource } from '../../lib/use-resource';
import { useSession } from '../../session/session';
import { AuditExportCard } from '../audit/audit-export-card';
import { InvitationsList } from './invitations-list';
import { InviteForm } from './invite-form';
import { MembersTable } from './members-table';
import { PracticeSettingsCard } from './settings-card';

export function TeamPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { me } = useSession();
  const { resource, setData, reload } = useResource(() => practicesApi.members(practiceId), practiceId);
  const membership = me?.memberships.find((candidate) => candidate.practiceId === practiceId);
  const practiceName = resource.status === 'ready' ? resource.data.practice.name : membership?.practiceName;
  const canManage = membership?.isAdmin ?? false;

  const replaceMember = (member: Member) =>
    setData((data) => ({
      ...data,
      members: data.members.map((candidate) => (candidate.userId === member.userId ? member : candidate)),
    }));
  const removeMember = (userId: string) =>
    setData((data) => ({
      ...data,
      members: data.members.filter((candidate) => candidate.userId !== userId),
    }));
  const addInvitation = (invitation: Invitation) =>
    setData((data) => ({ ...data, invitations: [invitation, ...data.invitations] }));
  const removeInvitation = (invitationId: string) =>
    setData((data) => ({
      ...data,
      invitations: data.invitations.filter((candidate) => candidate.id !== invitationId),
    }));

  return (
    <div className="stack-lg">
      <PageHeader
        title={practiceName ? t('team.titleOf', { practice: practiceName }) : t('team.title')}
        description={canManage ? t('team.descriptionAdmin') : t('team.description')}
      />
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <>
          <Card
            title={t('team.membersTitle')}
            description={t('team.membersCount', { count: resource.data.members.length })}
          >
            <MembersTable
              practiceId={practiceId}
              practiceName={resource.data.practice.name}
              members={resource.data.members}
              currentUserId={me?.user.id ?? ''}
              canManage={canManage}
              onMemberChanged={replaceMember}
              onMemberRemoved={removeMember}
            />
          </Card>
          {canManage || resource.data.invitations.length > 0 ? (
            <Card title={t('team.invitationsTitle')}>
              <InvitationsList
                practiceId={practiceId}
                invitations={resource.data.invitations}
                canManage={canManage}
                onRevoked={removeInvitation}
              />
            </Card>
          ) : null}
          {canManage ? (
            <Card title={t('team.inviteTitle')} description={t('team.inviteDescription')}>
              <InviteForm practiceId={practiceId} onInvited={addInvitation} />
            </Card>
          ) : null}
          {canManage ? (
            <PracticeSettingsCard
              practice={resource.data.practice}
              onSaved={(practice) => setData((data) => ({ ...data, practice }))}
            />
          ) : null}
          {canManage ? (
            <AuditExportCard practiceId={practiceId} timeZone={resource.data.practice.timeZone} />
          ) : null}
        </>
      ) : null}
    </div>
  );
}
