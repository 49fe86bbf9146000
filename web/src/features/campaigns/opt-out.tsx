import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Toggle } from '../../components/checkbox';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { Spinner } from '../../components/spinner';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { type CampaignOptOutList, campaignsApi } from './api';
import './campaigns.css';

function withOptOut(list: CampaignOptOutList, practiceId: string, profileId: string, optedOut: boolean) {
  return {
    practices: list.practices.map((practice) =>
      practice.practiceId !== practiceId
        ? practice
        : {
            ...practice,
            profiles: practice.profiles.map((profile) =>
              profile.patientProfileId === profileId ? { ...profile, optedOut } : profile,
            ),
          },
    ),
  };
}

/**
 * Under a campaign message: who receives the practice's campaigns, and the one-click way to stop (and to
 * come back).
 */
export function CampaignOptOutNotice({
  practiceId,
  practiceName,
  patientProfileId,
  patientName,
}: {
  practiceId: string;
  practiceName: string;
  patientProfileId: string;
  patientName: string;
}) {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(campaignsApi.optOuts, 'campaign-optouts');
  const submit = useSubmit();
  if (resource.status === 'loading') return <Spinner label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  const optedOut =
    resource.data.practices
      .find((practice) => practice.practiceId === practiceId)
      ?.profiles.find((profile) => profile.patientProfileId === patientProfileId)?.optedOut ?? false;
  const change = async (next: boolean) => {
    const outcome = await submit.run(() => campaignsApi.setOptOut(practiceId, patientProfileId, next));
    if (outcome.ok) setData((list) => withOptOut(list, practiceId, patientProfileId, next));
  };
  return (
    <Alert tone={optedOut ? 'success' : 'info'} className="campaign-optout" role="status">
      <p>
        {optedOut
          ? t('campaigns.optOut.stopped', { practice: practiceName, name: patientName })
          : t('campaigns.optOut.explain', { practice: practiceName, name: patientName })}
      </p>
      <FormError error={submit.error} />
      <div className="cluster">
        <Button variant="secondary" small busy={submit.busy} onClick={() => void change(!optedOut)}>
          {optedOut
            ? t('campaigns.optOut.resume', { practice: practiceName })
            : t('campaigns.optOut.stop', { practice: practiceName })}
        </Button>
      </div>
    </Alert>
  );
}

/** Account settings: one switch per practice and profile to receive that practice's campaigns or not. */
export function CampaignPreferencesCard() {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(campaignsApi.optOuts, 'campaign-optouts');
  const submit = useSubmit();
  const [pending, setPending] = useState('');
  return (
    <Card title={t('campaigns.preferences.title')} description={t('campaigns.preferences.description')}>
      {resource.status === 'loading' ? (
        <Spinner label={t('common.loading')} />
      ) : resource.status === 'failed' ? (
        <LoadError error={resource.error} onRetry={reload} />
      ) : resource.data.practices.length === 0 ? (
        <p className="muted">{t('campaigns.preferences.none')}</p>
      ) : (
        <div className="stack">
          {resource.data.practices.map((practice) => (
            <fieldset key={practice.practiceId} className="fieldset stack-tight">
              <legend className="fieldset__legend">{practice.practiceName}</legend>
              {practice.profiles.map((profile) => {
                const key = `${practice.practiceId}/${profile.patientProfileId}`;
                return (
                  <Toggle
                    key={key}
                    label={
                      practice.profiles.length > 1 ||
                      resource.data.practices.some((p) => p.profiles.length > 1)
                        ? t('campaigns.preferences.receiveFor', { name: profile.name })
                        : t('campaigns.preferences.receive')
                    }
                    checked={!profile.optedOut}
                    disabled={submit.busy && pending === key}
                    onChange={async (event) => {
                      const optedOut = !event.target.checked;
                      setPending(key);
                      const outcome = await submit.run(() =>
                        campaignsApi.setOptOut(practice.practiceId, profile.patientProfileId, optedOut),
                      );
                      if (outcome.ok)
                        setData((list) =>
                          withOptOut(list, practice.practiceId, profile.patientProfileId, optedOut),
                        );
                    }}
                  />
                );
              })}
            </fieldset>
          ))}
          <FormError error={submit.error} />
        </div>
      )}
    </Card>
  );
}
