import type { BadgeTone } from '../../components/badge';
import type { Campaign } from './api';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export const STATUS_TONE: Record<Campaign['status'], BadgeTone> = {
  scheduled: 'primary',
  sending: 'warning',
  sent: 'success',
  cancelled: 'neutral',
};

export function statusLabel(t: Translate, status: Campaign['status']): string {
  return t(`campaigns.status.${status}`);
}

export function kindLabel(t: Translate, kind: Campaign['kind']): string {
  return t(`campaigns.kind.${kind}`);
}

/** "42 %" of a part in a whole, or "—" when nobody received it yet. */
export function percent(part: number, whole: number | null, language: string): string {
  if (!whole) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/** Sending progress between 0 and 1 (a campaign with nobody to reach is complete). */
export function progressOf(campaign: Pick<Campaign, 'delivered' | 'totalRecipients'>): number {
  if (campaign.totalRecipients === null) return 0;
  if (campaign.totalRecipients === 0) return 1;
  return Math.min(1, campaign.delivered / campaign.totalRecipients);
}
