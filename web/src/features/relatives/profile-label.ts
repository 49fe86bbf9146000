import type { TFunction } from 'i18next';
import type { Relative } from '../../../../src/contracts/care';
import { ageOn } from '../../lib/time';

/** "Myself (Jeanne Petit)", "Emma Moreau (child)": a profile as a choice in a list. */
export function profileLabel(t: TFunction, profile: Relative): string {
  const name = `${profile.firstName} ${profile.lastName}`;
  return profile.relationship === 'self'
    ? t('relatives.selfLabel', { name })
    : t('relatives.relativeLabel', {
        name,
        relationship: t(`relatives.relationship.${profile.relationship}`),
      });
}

/** "9 years old", or months for babies. */
export function ageText(t: TFunction, birthDate: string, today: string): string {
  const { years, months } = ageOn(birthDate, today);
  return years < 2 ? t('relatives.ageMonths', { count: months }) : t('relatives.ageYears', { count: years });
}

/**
 * A teenager who took over their profile sees it listed as a "child" profile with its own account (the
 * API has no "this is you" flag). Shown to them as their own profile, so they book "for themselves".
 */
export function asSeenBy(
  profiles: readonly Relative[],
  user: { firstName: string; lastName: string },
): Relative[] {
  if (profiles.some((profile) => profile.relationship === 'self')) return [...profiles];
  return profiles.map((profile) =>
    profile.ownAccount && profile.firstName === user.firstName && profile.lastName === user.lastName
      ? { ...profile, relationship: 'self', ownAccount: false, mayHoldOwnAccount: false }
      : profile,
  );
}
