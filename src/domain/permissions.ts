import type { PracticeRight, PracticeRole } from '../contracts/accounts';

export interface MembershipFacts {
  role: PracticeRole;
  isAdmin: boolean;
  rights: readonly PracticeRight[];
}

export const ALL_RIGHTS: readonly PracticeRight[] = ['messaging', 'agenda', 'patients', 'campaigns'];

/** Practice admins manage the team: invitations, rights, removals. */
export function canManageTeam(member: MembershipFacts | undefined): boolean {
  return member?.isAdmin === true;
}

export function hasRight(member: MembershipFacts | undefined, right: PracticeRight): boolean {
  return member?.rights.includes(right) ?? false;
}

/** Renewal decisions are medical acts: practitioners only, whatever rights an assistant holds. */
export function canDecideRenewal(member: MembershipFacts | undefined): boolean {
  return member?.role === 'practitioner' && hasRight(member, 'messaging');
}

/** Rights as stored: known values only, once each, in a stable order. */
export function normaliseRights(rights: readonly string[]): PracticeRight[] {
  return ALL_RIGHTS.filter((right) => rights.includes(right));
}

/**
 * Whether removing admin status from (or removing) one member would leave the practice with no admin.
 */
export function wouldLeaveNoAdmin(
  adminCount: number,
  targetIsAdmin: boolean,
  targetKeepsAdmin: boolean,
): boolean {
  return targetIsAdmin && !targetKeepsAdmin && adminCount <= 1;
}
