import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from './api';

/**
 * The start of a conversation's last message in a list, marked when the reader's side wrote it: "You: …"
 * for a patient, "Practice: …" for practice staff (a colleague may have written it).
 */
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
      {last.side !== readerSide
        ? last.preview
        : t(readerSide === 'patient' ? 'messaging.list.youWrote' : 'inbox.practiceWrote', {
            text: last.preview,
          })}
    </p>
  );
}
