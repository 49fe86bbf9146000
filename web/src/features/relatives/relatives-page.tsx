import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Relative } from '../../../../src/contracts/care';
import { relativesApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading } from '../../components/spinner';
import { formatCalendarDate } from '../../lib/format';
import { countryTimeZone, todayIn } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { useSession } from '../../session/session';
import { OwnAccountDialog } from './own-account-dialog';
import { ageText, asSeenBy } from './profile-label';
import { RelativeDialog } from './relative-dialog';

type Editing = { mode: 'add' } | { mode: 'edit'; profile: Relative } | null;

export function RelativesPage() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { resource, setData, reload } = useResource(() => relativesApi.list(), 'relatives');
  const [editing, setEditing] = useState<Editing>(null);
  const [toRemove, setToRemove] = useState<Relative | null>(null);
  const [offering, setOffering] = useState<Relative | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useSubmit();
  if (!me) return null;
  const today = todayIn(countryTimeZone(me.user.country));

  async function confirmRemove() {
    if (!toRemove) return;
    const profile = toRemove;
    const outcome = await remove.run(() => relativesApi.remove(profile.id));
    if (outcome.ok) {
      setToRemove(null);
      setData((data) => ({ profiles: data.profiles.filter((candidate) => candidate.id !== profile.id) }));
      setNotice(t('relatives.removed', { name: `${profile.firstName} ${profile.lastName}` }));
    }
  }

  function saved(profile: Relative, created: boolean) {
    setEditing(null);
    setData((data) => ({
      profiles: created
        ? [...data.profiles, profile]
        : data.profiles.map((candidate) => (candidate.id === profile.id ? profile : candidate)),
    }));
    setNotice(
      t(created ? 'relatives.added' : 'relatives.updated', {
        name: `${profile.firstName} ${profile.lastName}`,
      }),
    );
  }

  return (
    <div className="stack-lg">
      <PageHeader
        title={t('relatives.title')}
        description={t('relatives.description')}
        actions={
          <Button
            onClick={() => {
              setNotice(null);
              setEditing({ mode: 'add' });
            }}
          >
            {t('relatives.add')}
          </Button>
        }
      />
      <div aria-live="polite">{notice ? <Alert tone="success">{notice}</Alert> : null}</div>
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <ul className="people">
          {asSeenBy(resource.data.profiles, me.user).map((profile) => {
            const name = `${profile.firstName} ${profile.lastName}`;
            const managed = profile.relationship !== 'self' && !profile.ownAccount;
            return (
              <li key={profile.id} className="person card">
                <div className="person__avatar" aria-hidden="true">
                  {profile.firstName.charAt(0)}
                  {profile.lastName.charAt(0)}
                </div>
                <div className="person__body">
                  <h2 className="person__name">{name}</h2>
                  <div className="cluster person__badges">
                    <Badge tone={profile.relationship === 'self' ? 'primary' : 'neutral'}>
                      {t(`relatives.relationship.${profile.relationship}`)}
                    </Badge>
                    {profile.ownAccount ? (
                      <Badge tone="success" dot>
                        {t('relatives.hasOwnAccount')}
                      </Badge>
                    ) : null}
                  </div>
                  <p className="person__meta">
                    {ageText(t, profile.birthDate, today)} ·{' '}
                    {t('relatives.bornOn', { date: formatCalendarDate(profile.birthDate, i18n.language) })}
                    {profile.sex ? <> · {t(`relatives.sex.${profile.sex}`)}</> : null}
                  </p>
                  {profile.ownAccount ? (
                    <p className="small muted">
                      {t('relatives.confidentialNote', { name: profile.firstName })}
                    </p>
                  ) : null}
                  {profile.relationship === 'self' ? (
                    <p className="small muted">{t('relatives.selfNote')}</p>
                  ) : null}
                  {managed && profile.mayHoldOwnAccount ? (
                    <div className="person__offer">
                      <p className="small">{t('relatives.ownAccountTeaser', { name: profile.firstName })}</p>
                      <Button
                        variant="secondary"
                        small
                        onClick={() => {
                          setNotice(null);
                          setOffering(profile);
                        }}
                      >
                        {t('relatives.offerOwnAccount')}
                      </Button>
                    </div>
                  ) : null}
                </div>
                {managed ? (
                  <div className="person__actions">
                    <Button
                      variant="secondary"
                      small
                      onClick={() => {
                        setNotice(null);
                        setEditing({ mode: 'edit', profile });
                      }}
                    >
                      {t('relatives.edit')}
                      <span className="visually-hidden"> {name}</span>
                    </Button>
                    <Button
                      variant="danger-outline"
                      small
                      onClick={() => {
                        remove.setError(null);
                        setNotice(null);
                        setToRemove(profile);
                      }}
                    >
                      {t('relatives.remove')}
                      <span className="visually-hidden"> {name}</span>
                    </Button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}

      <RelativeDialog editing={editing} onClose={() => setEditing(null)} onSaved={saved} />
      <OwnAccountDialog
        profile={offering}
        onClose={() => setOffering(null)}
        onSent={(email) => {
          const profile = offering;
          setOffering(null);
          if (profile) setNotice(t('relatives.ownAccountSent', { name: profile.firstName, email }));
        }}
      />
      <ConfirmDialog
        open={toRemove !== null}
        title={t('relatives.removeTitle', {
          name: toRemove ? `${toRemove.firstName} ${toRemove.lastName}` : '',
        })}
        confirmLabel={t('relatives.removeConfirm')}
        confirmVariant="danger"
        busy={remove.busy}
        onConfirm={() => void confirmRemove()}
        onCancel={() => setToRemove(null)}
      >
        <div className="stack">
          <p>{t('relatives.removeText')}</p>
          <FormError error={remove.error} />
        </div>
      </ConfirmDialog>
    </div>
  );
}
