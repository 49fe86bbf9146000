import { ageOn } from './care';

/** Who a campaign goes to. Prevention and practice information only: never marketing. */
export interface AudienceDefinition {
  /** Only patients seen within this many months; null: any consultation. */
  lastConsultationMonths: number | null;
  minAge: number | null;
  maxAge: number | null;
  sex: 'female' | 'male' | null;
  /** Practice tags a patient must all carry (e.g. "diabetes"). */
  tags: string[];
  /** Relatives managed by an account holder (children, dependants) are included. */
  includeRelatives: boolean;
}

export interface AudienceCandidate {
  profileId: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | null;
  relationship: 'self' | 'child' | 'dependent';
  tags: readonly string[];
  lastConsultationAt: number;
  optedOut: boolean;
}

/**
 * The recipients of a campaign among a practice's linked patients, with ages computed at the send date.
 * Patients who opted out of the practice's campaigns are never included; they are counted apart.
 */
export function selectAudience(
  candidates: readonly AudienceCandidate[],
  audience: AudienceDefinition,
  sendDate: string,
  windowStart: number | null,
) {
  const recipients: string[] = [];
  let optedOut = 0;
  for (const c of candidates) {
    if (!audience.includeRelatives && c.relationship !== 'self') continue;
    if (windowStart !== null && c.lastConsultationAt < windowStart) continue;
    const age = ageOn(c.birthDate, sendDate);
    if (audience.minAge !== null && age < audience.minAge) continue;
    if (audience.maxAge !== null && age > audience.maxAge) continue;
    if (audience.sex !== null && c.sex !== audience.sex) continue;
    if (!audience.tags.every((tag) => c.tags.includes(tag))) continue;
    if (c.optedOut) {
      optedOut++;
      continue;
    }
    recipients.push(c.profileId);
  }
  return { recipients, optedOut };
}
