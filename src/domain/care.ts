/** Rules of the care relationship between a patient profile and a practitioner. */

/** Identity key used to match a practice's record (e.g. an imported row) to another: accents, case and spacing ignored. */
export function matchKey(lastName: string, firstName: string, birthDate: string): string {
  const clean = (value: string) =>
    value
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return `${clean(lastName)}|${clean(firstName)}|${birthDate}`;
}

/** Age in whole years on a date (both ISO dates). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export interface ProfileFacts {
  ownerUserId: string;
  userId: string | null;
  ownAccountSince: number | null;
}

/**
 * Who may act for a profile (book, see appointments, later write): its holder, and the relative who manages
 * it. Once a teenager holds their own account, what they do themselves after that moment is theirs alone.
 */
export function mayActForProfile(userId: string, profile: ProfileFacts): boolean {
  return profile.userId === userId || profile.ownerUserId === userId;
}

/**
 * Whether a user sees an item (appointment, conversation) of a profile. The managing relative loses sight
 * of items the teenager created after taking their own account (confidential mode).
 */
export function maySeeProfileItem(
  userId: string,
  profile: ProfileFacts,
  item: { createdByUserId: string; createdAt: number },
): boolean {
  if (profile.userId === userId) return true;
  if (profile.ownerUserId !== userId) return false;
  if (profile.ownAccountSince === null || profile.userId === null) return true;
  return !(item.createdByUserId === profile.userId || item.createdAt >= profile.ownAccountSince);
}

/** A relative old enough (by default 15) may hold their own account. */
export function mayHoldOwnAccount(birthDate: string, today: string, minimumAge: number): boolean {
  return ageOn(birthDate, today) >= minimumAge;
}

/** The last consultation only moves forward: an older import never erases a more recent visit. */
export function laterConsultation(current: number | undefined, candidate: number): number {
  return current === undefined ? candidate : Math.max(current, candidate);
}

/** The accounts that see an item of a profile: its holder and its managing relative, as maySeeProfileItem allows. */
export function accountsSeeingProfileItem(
  profile: ProfileFacts,
  item: { createdByUserId: string; createdAt: number },
): string[] {
  const candidates = [profile.userId, profile.ownerUserId].filter((id): id is string => Boolean(id));
  return [...new Set(candidates)].filter((userId) => maySeeProfileItem(userId, profile, item));
}
