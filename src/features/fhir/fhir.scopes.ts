import type { PracticeRight } from '../../contracts/accounts';
import { maySeeProfileItem } from '../../domain/care';
import type { Store } from '../../platform/db/store';
import type { AuthContext } from '../accounts/sessions.service';
import { type PatientsService, profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './fhir.repository';

export type FhirScopes = ReturnType<typeof createFhirScopes>;

/**
 * What a caller may see through FHIR, per kind of data, by the API's rules: practice members by the
 * rights they hold in each practice (re-read on every request), patients by their profiles and the
 * visibility rule of relatives' items (a teenager's confidential conversations and appointments).
 */
export function createFhirScopes(deps: {
  store: Store;
  practices: PracticesService;
  patients: PatientsService;
  /** Writes the conversations of campaign messages delivered to these profiles (see campaign-deliveries). */
  openDeliveries: (profileIds: readonly string[]) => Promise<void>;
}) {
  const { store, practices, patients, openDeliveries } = deps;
  const db = store.db;

  async function practicesWith(auth: AuthContext, right: PracticeRight | 'admin'): Promise<string[]> {
    const memberships = await practices.membershipsOf(auth.user.id);
    return memberships
      .filter((m) => (right === 'admin' ? m.isAdmin : m.rights.includes(right)))
      .map((m) => m.practiceId);
  }

  async function ownProfiles(auth: AuthContext) {
    return patients.profilesOf(auth.user.id);
  }

  async function profileScope(auth: AuthContext): Promise<repo.ProfileScope> {
    if (auth.user.kind === 'patient') return { profileIds: (await ownProfiles(auth)).map((p) => p.id) };
    return { practiceIds: await practicesWith(auth, 'patients') };
  }

  async function conversationScope(auth: AuthContext): Promise<repo.ConversationScope> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'messaging') };
    const profileIds = (await ownProfiles(auth)).map((p) => p.id);
    await openDeliveries(profileIds);
    const rows = await repo.conversationsOfProfiles(db, profileIds);
    return {
      conversationIds: rows
        .filter((row) =>
          maySeeProfileItem(auth.user.id, profileFacts(row), {
            createdByUserId: row.created_by_user_id,
            createdAt: row.created_at,
          }),
        )
        .map((row) => row.id),
    };
  }

  async function appointmentScope(
    auth: AuthContext,
  ): Promise<{ practiceIds: string[] } | { appointmentIds: string[] }> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'agenda') };
    const profiles = await ownProfiles(auth);
    const rows = await repo.appointmentsOfProfiles(
      db,
      profiles.map((p) => p.id),
    );
    return {
      appointmentIds: rows
        .filter((row) =>
          maySeeProfileItem(auth.user.id, profileFacts(row), {
            createdByUserId: row.booked_by_user_id,
            createdAt: row.created_at,
          }),
        )
        .map((row) => row.id),
    };
  }

  async function practitionerScope(auth: AuthContext): Promise<{ userIds: string[] }> {
    if (auth.user.kind === 'patient') {
      // As GET /api/v1/my-practitioners: a parent does not learn whom their teenager consulted, wrote to or
      // booked with after taking their own account.
      const profiles = await ownProfiles(auth);
      const links = await repo.practitionerLinksOfProfiles(
        db,
        profiles.map((p) => p.id),
      );
      const visible = links.filter((link) =>
        maySeeProfileItem(auth.user.id, profileFacts(link), {
          createdByUserId: link.created_by_user_id,
          createdAt: link.created_at,
        }),
      );
      return { userIds: [...new Set(visible.map((link) => link.id))] };
    }
    const memberships = await practices.membershipsOf(auth.user.id);
    const rows = await repo.membersOfPractices(
      db,
      memberships.map((m) => m.practiceId),
    );
    return { userIds: [...new Set(rows.map((r) => r.user_id))] };
  }

  /**
   * Access history: a patient sees the entries about the profiles whose history is theirs (their own, and
   * relatives who do not hold their own account); a practice's administrators see their practice's entries.
   */
  async function auditScope(
    auth: AuthContext,
  ): Promise<{ profileIds: string[] } | { practiceIds: string[] }> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'admin') };
    const profiles = await ownProfiles(auth);
    return {
      profileIds: profiles
        .filter((p) => p.user_id === auth.user.id || (p.owner_user_id === auth.user.id && p.user_id === null))
        .map((p) => p.id),
    };
  }

  return {
    practicesWith,
    profileScope,
    conversationScope,
    appointmentScope,
    practitionerScope,
    auditScope,
  };
}
