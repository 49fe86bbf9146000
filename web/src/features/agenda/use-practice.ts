import { practicesApi } from '../../api/endpoints';
import { useResource } from '../../lib/use-resource';
import { useSession } from '../../session/session';

/** The practice (time zone, settings), its practitioners and the signed-in member's own membership. */
export function usePractice(practiceId: string) {
  const { me } = useSession();
  const membership = me?.memberships.find((candidate) => candidate.practiceId === practiceId);
  const { resource, setData, reload } = useResource(() => practicesApi.members(practiceId), practiceId);
  const practitioners =
    resource.status === 'ready'
      ? resource.data.members
          .filter((member) => member.role === 'practitioner')
          .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName))
      : [];
  return { me, membership, resource, setData, reload, practitioners };
}
