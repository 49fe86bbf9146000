import { useTranslation } from 'react-i18next';
import type { MeResponse } from '../../../../src/contracts/accounts';
import type { MyPractitioner } from '../../../../src/contracts/care';
import { relativesApi } from '../../api/endpoints';
import { ButtonLink } from '../../components/button';
import { LoadError } from '../../components/load-error';
import { Spinner } from '../../components/spinner';
import { countryTimeZone, formatInstant } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { bookingPath } from '../booking/paths';
import { newMessagePath } from '../messaging/paths';

type Group = { key: string; first: MyPractitioner; visits: MyPractitioner[] };

/** One entry per practitioner and practice, with everyone in the family who consulted them, latest first. */
export function groupPractitioners(rows: readonly MyPractitioner[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of [...rows].sort((a, b) => b.lastConsultationAt - a.lastConsultationAt)) {
    const key = `${row.practitionerId}/${row.practiceId}`;
    const group = groups.get(key);
    if (group) group.visits.push(row);
    else groups.set(key, { key, first: row, visits: [row] });
  }
  return [...groups.values()];
}

/** "My practitioners": those the patient or a relative consulted, to book again or write to. */
export function MyPractitioners({ me }: { me: MeResponse }) {
  const { t, i18n } = useTranslation();
  const { resource, reload } = useResource(() => relativesApi.myPractitioners(), 'my-practitioners');
  // The list gives no time zone: the patient's country's, which is the practice's in practice.
  const timeZone = countryTimeZone(me.user.country);
  return (
    <section aria-labelledby="my-practitioners" className="stack">
      <div className="section-header">
        <h2 id="my-practitioners" className="section-title">
          {t('myPractitioners.title')}
        </h2>
        <p className="muted">{t('myPractitioners.description')}</p>
      </div>
      {resource.status === 'loading' ? <Spinner label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        resource.data.practitioners.length === 0 ? (
          <div className="empty-state">
            <p>{t('myPractitioners.empty')}</p>
            <ButtonLink to="/book" variant="secondary">
              {t('appointments.book')}
            </ButtonLink>
          </div>
        ) : (
          <ul className="cards practitioner-cards">
            {groupPractitioners(resource.data.practitioners).map(({ key, first, visits }) => {
              const name = `${first.firstName} ${first.lastName}`;
              return (
                <li key={key} className="card practitioner-card">
                  <h3 className="practitioner-card__name">{name}</h3>
                  <p className="practitioner-card__meta">
                    {first.specialty}
                    <br />
                    <span className="muted">
                      {first.practiceName} · {first.city}
                    </span>
                  </p>
                  <h4 className="small muted practitioner-card__visits-title">
                    {t('myPractitioners.lastConsultations')}
                  </h4>
                  <ul className="visit-list">
                    {visits.map((visit) => (
                      <li key={visit.patientProfileId}>
                        <span className="visit-list__name">{visit.patientName}</span>
                        <span className="muted">
                          {formatInstant(visit.lastConsultationAt, timeZone, i18n.language, false)}
                        </span>
                      </li>
                    ))}
                  </ul>
                  <div className="cluster practitioner-card__book">
                    <ButtonLink
                      to={`${bookingPath(first)}?for=${encodeURIComponent(first.patientProfileId)}`}
                      variant="secondary"
                      small
                    >
                      {t('myPractitioners.bookAgain')}
                      <span className="visually-hidden"> {t('booking.withName', { name })}</span>
                    </ButtonLink>
                    {/* The new-message page checks whether this practitioner's messaging is open. */}
                    <ButtonLink to={newMessagePath(first)} variant="secondary" small>
                      {t('myPractitioners.write')}
                      <span className="visually-hidden"> {t('myPractitioners.writeTo', { name })}</span>
                    </ButtonLink>
                  </div>
                </li>
              );
            })}
          </ul>
        )
      ) : null}
    </section>
  );
}
