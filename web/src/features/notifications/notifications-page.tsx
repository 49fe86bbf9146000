import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MeResponse } from '../../../../src/contracts/accounts';
import { isApiError } from '../../api/client';
import { Alert } from '../../components/alert';
import { Card } from '../../components/card';
import { Toggle } from '../../components/checkbox';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { Spinner } from '../../components/spinner';
import { useResource } from '../../lib/use-resource';
import { useSession } from '../../session/session';
import { type NotificationPreferences, notificationsApi } from './api';
import {
  currentSubscription,
  type PushAvailability,
  pushAvailability,
  subscribeThisBrowser,
  unsubscribeThisBrowser,
} from './push';

type Notice = { tone: 'success' | 'warning'; text: string } | null;

/** Settings › Notifications: new-message notices by e-mail and on this device, and staff's daily digest. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const prefs = useResource(() => notificationsApi.preferences(), 'notification-preferences');
  if (!me) return null;
  return (
    <div className="stack-lg notification-settings">
      <p className="back-link">
        <Link to="/account">{t('notificationSettings.backToAccount')}</Link>
      </p>
      <PageHeader
        title={t('notificationSettings.title')}
        description={t('notificationSettings.description')}
      />
      {prefs.resource.status === 'loading' ? (
        <Spinner label={t('common.loading')} />
      ) : prefs.resource.status === 'failed' ? (
        <LoadError error={prefs.resource.error} onRetry={prefs.reload} />
      ) : (
        <Settings me={me} prefs={prefs.resource.data} onChange={prefs.setData} />
      )}
    </div>
  );
}

function Settings({
  me,
  prefs,
  onChange,
}: {
  me: MeResponse;
  prefs: NotificationPreferences;
  onChange: (prefs: NotificationPreferences) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<keyof NotificationPreferences | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [error, setError] = useState<unknown>(null);
  const [availability, setAvailability] = useState<PushAvailability>(() => pushAvailability());
  const [subscribed, setSubscribed] = useState<boolean | null>(null);

  useEffect(() => {
    let current = true;
    currentSubscription()
      .then((subscription) => {
        if (current) setSubscribed(Boolean(subscription));
      })
      .catch(() => {
        if (current) setSubscribed(false);
      });
    return () => {
      current = false;
    };
  }, []);

  const isPatient = me.user.kind === 'patient';
  const handlesMessages = me.memberships.some((membership) => membership.rights.includes('messaging'));

  async function save(key: keyof NotificationPreferences, change: Partial<NotificationPreferences>) {
    setBusy(key);
    setNotice(null);
    setError(null);
    try {
      onChange(await notificationsApi.update({ ...prefs, ...change }));
      setNotice({ tone: 'success', text: t('notificationSettings.saved') });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  }

  async function changePush(on: boolean) {
    setBusy('push');
    setNotice(null);
    setError(null);
    try {
      if (on) {
        const outcome = await subscribeThisBrowser();
        setAvailability(pushAvailability());
        if (outcome === 'denied') {
          setNotice({ tone: 'warning', text: t('notificationSettings.pushRefused') });
          return;
        }
        setSubscribed(true);
      } else {
        // The choice applies to the account: this device stops too, whatever the push service says.
        await unsubscribeThisBrowser().catch(() => undefined);
        setSubscribed(false);
      }
      onChange(await notificationsApi.update({ ...prefs, push: on }));
      setNotice({ tone: 'success', text: t('notificationSettings.saved') });
    } catch (caught) {
      // The server's refusal is explained as such; anything else is the browser or its push service.
      if (isApiError(caught)) setError(caught);
      else setNotice({ tone: 'warning', text: t('notificationSettings.pushFailed') });
    } finally {
      setBusy(null);
    }
  }

  const pushOnHere = prefs.push && subscribed === true;
  const pushHint =
    availability === 'unsupported'
      ? t('notificationSettings.pushUnsupported')
      : availability === 'denied'
        ? t('notificationSettings.pushDenied')
        : prefs.push && subscribed === false
          ? `${t('notificationSettings.pushHint')} ${t('notificationSettings.pushOtherDevice')}`
          : t('notificationSettings.pushHint');

  return (
    <div className="stack-lg">
      <div aria-live="polite">{notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}</div>
      <FormError error={error} />
      {isPatient ? (
        <Card
          title={t('notificationSettings.channelsTitle')}
          description={t('notificationSettings.channelsDescription')}
        >
          <div className="stack">
            <Toggle
              label={t('notificationSettings.email')}
              hint={t('notificationSettings.emailHint', { email: me.user.email })}
              checked={prefs.email}
              disabled={busy !== null}
              onChange={(event) => void save('email', { email: event.target.checked })}
            />
            <Toggle
              label={t('notificationSettings.push')}
              hint={pushHint}
              checked={pushOnHere}
              disabled={busy !== null || availability !== 'supported' || subscribed === null}
              aria-busy={busy === 'push'}
              onChange={(event) => void changePush(event.target.checked)}
            />
            {busy ? (
              <p className="small muted" aria-hidden="true">
                {t('notificationSettings.saving')}
              </p>
            ) : null}
          </div>
        </Card>
      ) : (
        <Card title={t('notificationSettings.channelsTitle')}>
          <p>
            {me.user.kind === 'admin'
              ? t('notificationSettings.nothingToSet')
              : t('notificationSettings.staffChannels')}
          </p>
        </Card>
      )}
      {handlesMessages ? (
        <Card
          title={t('notificationSettings.digestTitle')}
          description={t('notificationSettings.digestDescription')}
        >
          <Toggle
            label={t('notificationSettings.digest')}
            hint={t('notificationSettings.digestHint')}
            checked={prefs.digest}
            disabled={busy !== null}
            onChange={(event) => void save('digest', { digest: event.target.checked })}
          />
        </Card>
      ) : null}
    </div>
  );
}
