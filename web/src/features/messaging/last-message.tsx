import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from './api';

/** The start of a conversation's last message in a list; "You: …" when the reader's side wrote it. */
export function LastMessage({
  conversation,
  readerSide,
}: {
  conversation: ConversationSummary;
  readerSide: 'patient' | 'practice';
}) {
  const { t } = useTranslation();
  const last = conversation.lastMessage;
  if (!last?.preview) return null;
  return (
    <p className="last-message">
      {last.side === readerSide ? t('messaging.list.youWrote', { text: last.preview }) : last.preview}
    </p>
  );
}
