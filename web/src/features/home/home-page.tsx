import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import type { MeResponse } from '../../../../src/contracts/accounts';
import { Badge } from '../../components/badge';
import { ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { EmailAddress } from '../../components/email-address';
import { EmergencyNotice } from '../../components/emergency-notice';
import { PageHeader } from '../../components/page-header';
import { formatCalendarDate } from '../../lib/format';
import { useSession } from '../../session/session';
import { RIGHTS } from '../team/rights';
import { MyPractitioners } from './my-practitioners';

export function HomePage() {
  const { me } = useSession();
  if (!me) return null;
  if (me.user.kind === 'admin') return <Navigate to="/admin" replace />;
  return me.user.kind === 'patient' ? <PatientHome me={me} /> : <StaffHome me={me} />;
}

function AccountDetails({ me }: { me: MeResponse }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      title={t('home.accountTitle')}
      actions={
        <Link to="/account" className="btn btn--secondary btn--small">
          {t('home.editAccount')}
        </Link>
      }
    >
      <dl className="details">
        <dt>{t('fields.name')}</dt>
        <dd>
          {me.user.firstName} {me.user.lastName}
        </dd>
        <dt>{t('fields.email')}</dt>
        <dd>
          <EmailAddress email={me.user.email} />
        </dd>
        {me.user.birthDate ? (
          <>
            <dt>{t('fields.birthDate')}</dt>
            <dd>{formatCalendarDate(me.user.birthDate, i18n.language)}</dd>
          </>
        ) : null}
        <dt>{t('fields.country')}</dt>
        <dd>{t(`countries.${me.user.country}`)}</dd>
      </dl>
    </Card>
  );
}

function PatientHome({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <PageHeader
        title={t('home.welcome', { name: me.user.firstName })}
        description={t('home.patient.intro')}
        actions={
          <>
            <ButtonLink to="/book">{t('appointments.book')}</ButtonLink>
            <ButtonLink to="/appointments" variant="secondary">
              {t('home.patient.myAppointments')}
            </ButtonLink>
          </>
        }
      />
      <EmergencyNotice country={me.user.country} />
      <MyPractitioners me={me} />
      <div className="grid-2">
        <Card title={t('home.patient.howTitle')}>
          <ul className="plain-list">
            <li>{t('home.patient.howOwn')}</li>
            <li>{t('home.patient.howRenewal')}</li>
            <li>{t('home.patient.howNotConsultation')}</li>
            <li>{t('home.patient.howFree')}</li>
          </ul>
        </Card>
        <AccountDetails me={me} />
      </div>
    </div>
  );
}

function StaffHome({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <PageHeader
        title={t('home.welcome', { name: me.user.firstName })}
        description={t('home.staff.intro')}
      />
      <section aria-labelledby="home-practices" className="stack">
        <h2 id="home-practices" className="section-title">
          {t('home.staff.practicesTitle')}
        </h2>
        {me.memberships.length === 0 ? (
          <p className="muted">{t('home.staff.noPractice')}</p>
        ) : (
          <div className="cards">
            {me.memberships.map((membership) => (
              <Card key={membership.practiceId} title={membership.practiceName} headingLevel={3}>
                <div className="practice-card__meta">
                  <Badge tone="primary">{t(`roles.${membership.role}`)}</Badge>
                  {membership.isAdmin ? <Badge tone="neutral">{t('team.practiceAdmin')}</Badge> : null}
                </div>
                <h4 className="small muted rights-title">{t('team.rights')}</h4>
                {membership.rights.length === 0 ? (
                  <p className="small muted">{t('team.noRights')}</p>
                ) : (
                  <ul className="rights-list">
                    {RIGHTS.filter((right) => membership.rights.includes(right)).map((right) => (
                      <li key={right}>
                        <Badge tone="neutral">{t(`rights.${right}.label`)}</Badge>
                      </li>
                    ))}
                  </ul>
                )}
                <ul className="practice-card__links">
                  {membership.rights.includes('agenda') ? (
                    <li>
                      <Link to={`/practices/${membership.practiceId}/agenda`}>{t('home.staff.agenda')}</Link>
                    </li>
                  ) : null}
                  {membership.role === 'practitioner' || membership.rights.includes('agenda') ? (
                    <li>
                      <Link to={`/practices/${membership.practiceId}/opening-hours`}>
                        {t('home.staff.openingHours')}
                      </Link>
                    </li>
                  ) : null}
                  {membership.rights.includes('patients') ? (
                    <li>
                      <Link to={`/practices/${membership.practiceId}/patients`}>
                        {t('home.staff.patients')}
                      </Link>
                    </li>
                  ) : null}
                  <li>
                    <Link to={`/practices/${membership.practiceId}/team`}>
                      {membership.isAdmin ? t('home.staff.manageTeam') : t('home.staff.seeTeam')}
                    </Link>
                  </li>
                </ul>
              </Card>
            ))}
          </div>
        )}
      </section>
      <div className="grid-2">
        {me.practitioner ? (
          <Card
            title={t('home.staff.profileTitle')}
            actions={
              me.practitioner.verified ? (
                <Badge tone="success" dot>
                  {t('practitioner.verified')}
                </Badge>
              ) : (
                <Badge tone="warning" dot>
                  {t('practitioner.awaiting')}
                </Badge>
              )
            }
          >
            <dl className="details">
              <dt>{t('fields.rpps')}</dt>
              <dd className="mono">{me.practitioner.rpps}</dd>
              <dt>{t('fields.specialty')}</dt>
              <dd>{me.practitioner.specialty}</dd>
            </dl>
            {me.practitioner.verified ? null : (
              <p className="muted small profile-note">{t('practitioner.awaitingHelp')}</p>
            )}
          </Card>
        ) : null}
        <AccountDetails me={me} />
      </div>
    </div>
  );
}
