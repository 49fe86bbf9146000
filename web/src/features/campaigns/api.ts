import type { z } from 'zod';
import type {
  AudienceCountSchema,
  Campaign,
  CampaignAttachment,
  CampaignDetail,
  CampaignOptOutList,
  CampaignTimeline,
  CreateCampaignBodySchema,
  PatientListMatch,
} from '../../../../src/contracts/campaigns';
import { api } from '../../api/client';
import type { Audience } from './audience-form';

// Types only: `import type` keeps zod and the schemas out of the bundle.
export type {
  Campaign,
  CampaignAttachment,
  CampaignDetail,
  CampaignOptOutList,
  CampaignTimeline,
  PatientListMatch,
};
export type AudienceCount = z.infer<typeof AudienceCountSchema>;
export type NewCampaign = z.input<typeof CreateCampaignBodySchema>;

const segment = encodeURIComponent;
const base = (practiceId: string) => `/api/v1/practices/${segment(practiceId)}/campaigns`;

export const campaignsApi = {
  list: (practiceId: string) => api.get<{ campaigns: Campaign[] }>(base(practiceId)),
  count: (practiceId: string, audience: Audience, sendAt: number | undefined, signal: AbortSignal) =>
    api.post<AudienceCount>(`${base(practiceId)}/audience`, { audience, sendAt }, { signal }),
  matchList: (practiceId: string, csv: string) =>
    api.post<PatientListMatch>(`${base(practiceId)}/audience/list`, { csv }),
  create: (practiceId: string, body: NewCampaign) => api.post<Campaign>(base(practiceId), body),
  detail: (practiceId: string, campaignId: string) =>
    api.get<CampaignDetail>(`${base(practiceId)}/${segment(campaignId)}`),
  timeline: (practiceId: string, campaignId: string) =>
    api.get<CampaignTimeline>(`${base(practiceId)}/${segment(campaignId)}/timeline`),
  cancel: (practiceId: string, campaignId: string) =>
    api.post<Campaign>(`${base(practiceId)}/${segment(campaignId)}/cancel`),
  attachmentUrl: (practiceId: string, campaignId: string) =>
    `${base(practiceId)}/${segment(campaignId)}/attachment`,
  conversationAttachment: (conversationId: string) =>
    api.get<{ attachment: CampaignAttachment | null }>(
      `/api/v1/conversations/${segment(conversationId)}/campaign-attachment`,
    ),
  conversationAttachmentUrl: (conversationId: string) =>
    `/api/v1/conversations/${segment(conversationId)}/campaign-attachment/file`,
  optOuts: () => api.get<CampaignOptOutList>('/api/v1/campaign-optouts'),
  setOptOut: (practiceId: string, patientProfileId: string, optedOut: boolean) =>
    api.put<null>(`/api/v1/practices/${segment(practiceId)}/campaign-optout`, { patientProfileId, optedOut }),
};
