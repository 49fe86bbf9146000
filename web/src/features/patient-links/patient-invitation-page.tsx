import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Relative } from '../../../../src/contracts/care';
import { isApiError } from '../../api/client';
import { type PatientInvitationPreview, patientLinksApi, relativesApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageLoading } from '../../components/spinner';
import { errorCode, errorText } from '../../i18n/errors';
import { formatCalendarDate } from '../../lib/format';
import { forgetStoredLinkToken, readStoredLinkToken } from '../../lib/link-token';
import { rememberReturnTo } from '../../lib/return-to';
import { ageOn, countryTimeZone, todayIn } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { isFullySignedIn, useSession } from '../../session/session';
import { AuthCard } from '../auth/auth-card';
import { asSeenBy, profileLabel } from '../relatives/profile-label';

const STORAGE_KEY = 'missive.patientInvitationToken';
const PATH = '/patient-invitation';

type Preview =
  | { step: 'loading' }
  | { step: 'ready'; preview: PatientInvitationPreview }
  | { step: 'failed'; error: unknown };

/** A practice invites a patient (after importing past consultations) to link their record to their account. */
export function PatientInvitationPage() {
  const { t } = useTranslation();
  const [token] = useState(() => readStoredLinkToken(STORAGE_KEY));
  const [preview, setPreview] = useState<Preview>({ step: 'loading' });
  const [linkedTo, setLinkedTo] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    patientLinksApi.previewInvitation(token).then(
      (value) => setPreview({ step: 'ready', preview: value }),
      (error: unknown) => setPreview({ step: 'failed', error }),
    );
  }, [token]);

  if (!token)
    return (
      <AuthCard title={t('patientInvitation.title')}>
        <Alert tone="warning">{t('auth.link.missing')}</Alert>
      </AuthCard>
    );
  if (preview.step === 'loading')
    return (
      <AuthCard title={t('patientInvitation.title')}>
        <PageLoading label={t('common.loading')} />
      </AuthCard>
    );
  if (preview.step === 'failed') {
    const invalid = ['MISSIVE_INVALID_TOKEN', 'MISSIVE_NOT_FOUND'].includes(errorCode(preview.error) ?? '');
    return (
      <AuthCard title={t('patientInvitation.title')}>
        <Alert tone="warning" role="alert">
          {invalid ? t('patientInvitation.invalid') : errorText(t, preview.error)}
        </Alert>
      </AuthCard>
    );
  }
  if (linkedTo)
    return (
      <AuthCard title={t('patientInvitation.doneTitle')}>
        <div className="stack">
          <Alert tone="success" role="status">
            {t('patientInvitation.done', { practice: preview.preview.practiceName, name: linkedTo })}
          </Alert>
          <p>{t('patientInvitation.doneNext')}</p>
          <ButtonLink to="/home">{t('patientInvitation.seePractitioners')}</ButtonLink>
        </div>
      </AuthCard>
    );
  return (
    <InvitationView
      token={token}
      preview={preview.preview}
      onLinked={(name) => {
        forgetStoredLinkToken(STORAGE_KEY);
        setLinkedTo(name);
      }}
    />
  );
}

function InvitationView({
  token,
  preview,
  onLinked,
}: {
  token: string;
  preview: PatientInvitationPreview;
  onLinked: (name: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { me, signOut } = useSession();
  const name = `${preview.firstName} ${preview.lastName}`;

  function detour(path: string) {
    rememberReturnTo(PATH);
    navigate(path);
  }

  let body: ReactNode;
  if (!me) {
    body = (
      <div className="stack">
        <p>{t('patientInvitation.signInFirst')}</p>
        <div className="cluster">
          <Button onClick={() => detour('/signin')}>{t('patientInvitation.signIn')}</Button>
          <Button variant="secondary" onClick={() => detour('/signup')}>
            {t('patientInvitation.signUp')}
          </Button>
        </div>
      </div>
    );
  } else if (me.user.kind !== 'patient') {
    body = (
      <div className="stack">
        <Alert tone="warning">{t('patientInvitation.notPatient', { email: me.user.email })}</Alert>
        <Button
          variant="secondary"
          onClick={async () => {
            await signOut();
            detour('/signin');
          }}
        >
          {t('invitation.switchAccount')}
        </Button>
      </div>
    );
  } else if (!isFullySignedIn(me)) {
    body = <Alert tone="warning">{t('invitation.twoStepFirst')}</Alert>;
  } else {
    body = <LinkForm token={token} preview={preview} onLinked={onLinked} />;
  }

  return (
    <AuthCard
      title={t('patientInvitation.title')}
      description={t('patientInvitation.intro', { practice: preview.practiceName })}
    >
      <dl className="details invitation-details">
        <dt>{t('invitation.practice')}</dt>
        <dd>{preview.practiceName}</dd>
        <dt>{t('patientInvitation.patient')}</dt>
        <dd>{name}</dd>
        <dt>{t('fields.birthDate')}</dt>
        <dd>{formatCalendarDate(preview.birthDate, i18n.language)}</dd>
      </dl>
      {body}
    </AuthCard>
  );
}

type Choice = { kind: 'profile'; id: string } | { kind: 'create'; relationship: 'child' | 'dependent' };

function LinkForm({
  token,
  preview,
  onLinked,
}: {
  token: string;
  preview: PatientInvitationPreview;
  onLinked: (name: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { resource, reload } = useResource(() => relativesApi.list(), 'relatives');
  const [choice, setChoice] = useState<Choice | null>(null);
  const { busy, error, run } = useSubmit();
  if (!me) return null;
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;

  const profiles = asSeenBy(resource.data.profiles, me.user);
  const sameBirth = (profile: Relative) => profile.birthDate === preview.birthDate;
  const adult = ageOn(preview.birthDate, todayIn(countryTimeZone(me.user.country))).years >= 18;
  const suggested: Choice = (() => {
    const match =
      profiles.find(
        (profile) =>
          sameBirth(profile) &&
          profile.firstName.toLowerCase() === preview.firstName.toLowerCase() &&
          profile.lastName.toLowerCase() === preview.lastName.toLowerCase(),
      ) ?? profiles.find(sameBirth);
    if (match) return { kind: 'profile', id: match.id };
    return { kind: 'create', relationship: adult ? 'dependent' : 'child' };
  })();
  const current = choice ?? suggested;
  const isChosen = (candidate: Choice) =>
    candidate.kind === 'profile'
      ? current.kind === 'profile' && current.id === candidate.id
      : current.kind === 'create' && current.relationship === candidate.relationship;

  const conflict =
    isApiError(error) && error.code === 'MISSIVE_CONFLICT' ? (error.issues[0]?.reason ?? null) : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const outcome = await run(() =>
      patientLinksApi.acceptInvitation(
        current.kind === 'profile'
          ? { token, patientProfileId: current.id }
          : { token, createRelative: current.relationship },
      ),
    );
    if (outcome.ok) {
      const profile = profiles.find((candidate) => candidate.id === outcome.value.patientProfileId);
      onLinked(
        profile ? `${profile.firstName} ${profile.lastName}` : `${preview.firstName} ${preview.lastName}`,
      );
    }
  }

  const name = `${preview.firstName} ${preview.lastName}`;
  return (
    <form className="form" onSubmit={submit} noValidate>
      {conflict === 'birth_date_mismatch' || conflict === 'already_linked' ? (
        <FormError message={t(`patientInvitation.conflict.${conflict}`)} />
      ) : (
        <FormError error={error} />
      )}
      <fieldset className="fieldset">
        <legend className="fieldset__legend">{t('patientInvitation.whoIsIt', { name })}</legend>
        <div className="choice-list">
          {profiles.map((profile) => (
            <label key={profile.id} className="choice">
              <input
                type="radio"
                name="choice"
                checked={isChosen({ kind: 'profile', id: profile.id })}
                disabled={!sameBirth(profile)}
                onChange={() => setChoice({ kind: 'profile', id: profile.id })}
              />
              <span className="choice__text">
                <span>{profileLabel(t, profile)}</span>
                <span className="small muted">
                  {sameBirth(profile)
                    ? t('relatives.bornOn', { date: formatCalendarDate(profile.birthDate, i18n.language) })
                    : t('patientInvitation.otherBirthDate')}
                </span>
              </span>
            </label>
          ))}
          {(['child', 'dependent'] as const).map((relationship) => (
            <label key={relationship} className="choice">
              <input
                type="radio"
                name="choice"
                checked={isChosen({ kind: 'create', relationship })}
                onChange={() => setChoice({ kind: 'create', relationship })}
              />
              <span className="choice__text">
                <span>{t(`patientInvitation.create.${relationship}`, { name })}</span>
                <span className="small muted">{t('patientInvitation.createHint')}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="form__actions">
        <Button type="submit" busy={busy} block>
          {t('patientInvitation.submit')}
        </Button>
      </div>
    </form>
  );
}
