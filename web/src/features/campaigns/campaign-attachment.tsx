import { useTranslation } from 'react-i18next';
import { useResource } from '../../lib/use-resource';
import { campaignsApi } from './api';

/** In a conversation a campaign opened: the campaign's file, to download. Nothing while loading or absent. */
export function CampaignAttachmentLink({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { resource } = useResource(
    () => campaignsApi.conversationAttachment(conversationId),
    `campaign-attachment-${conversationId}`,
  );
  if (resource.status !== 'ready' || !resource.data.attachment) return null;
  const { attachment } = resource.data;
  return (
    <p className="campaign-attachment">
      <a href={campaignsApi.conversationAttachmentUrl(conversationId)} download={attachment.name}>
        {t('campaigns.attachment.download', { name: attachment.name })}
      </a>
    </p>
  );
}
