import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../../components/badge';
import { type ConnectionState, useConnectionState } from '../messaging/live';

const TONES: Record<Exclude<ConnectionState, 'idle'>, BadgeTone> = {
  connecting: 'neutral',
  connected: 'success',
  reconnecting: 'warning',
  offline: 'danger',
};

/**
 * The live connection's state in the header (connected / reconnecting / offline), and a polite live
 * region that announces when it is lost and when it comes back (not the first connection at load).
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnectionState();
  const previous = useRef<ConnectionState>(state);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (state === before) return;
    if (state === 'reconnecting') setAnnouncement(t('liveConnection.announceReconnecting'));
    else if (state === 'offline') setAnnouncement(t('liveConnection.announceOffline'));
    else if (state === 'connected' && (before === 'reconnecting' || before === 'offline'))
      setAnnouncement(t('liveConnection.announceRestored'));
  }, [state, t]);

  return (
    <>
      {state === 'idle' ? null : (
        <span className="connection-status" data-state={state}>
          <Badge tone={TONES[state]} dot>
            <span className="visually-hidden">{t('liveConnection.label')} </span>
            {t(`liveConnection.${state}`)}
          </Badge>
        </span>
      )}
      <div
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className="visually-hidden"
        data-testid="connection-announcer"
      >
        {announcement}
      </div>
    </>
  );
}
