import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { DirectoryEntry } from '../../../../src/contracts/care';
import { bookingApi } from '../../api/endpoints';
import { Badge } from '../../components/badge';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { useResource } from '../../lib/use-resource';
import { bookingPath } from './paths';

/** Find a practitioner by name, specialty or city; the search lives in the address, so "back" keeps it. */
export function BookSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = {
    q: params.get('q') ?? '',
    specialty: params.get('specialty') ?? '',
    city: params.get('city') ?? '',
  };
  const [values, setValues] = useState(filters);
  const key = JSON.stringify(filters);
  const { resource, reload } = useResource(() => bookingApi.directory(filters), key);
  const searched = Boolean(filters.q || filters.specialty || filters.city);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) if (value.trim()) next.set(name, value.trim());
    setParams(next);
  }

  function clear() {
    setValues({ q: '', specialty: '', city: '' });
    setParams(new URLSearchParams());
  }

  return (
    <div className="stack-lg">
      <PageHeader
        title={t('booking.title')}
        description={t('booking.description')}
        actions={
          <Link to="/appointments" className="btn btn--secondary btn--small">
            {t('booking.myAppointments')}
          </Link>
        }
      />
      <Card>
        <search aria-label={t('booking.searchLabel')}>
          <form className="search-form" onSubmit={submit}>
            <TextField
              label={t('booking.nameLabel')}
              hint={t('booking.nameHint')}
              name="q"
              type="search"
              maxLength={100}
              value={values.q}
              onChange={(event) => setValues({ ...values, q: event.target.value })}
            />
            <TextField
              label={t('fields.specialty')}
              hint={t('booking.specialtyHint')}
              name="specialty"
              type="search"
              maxLength={100}
              value={values.specialty}
              onChange={(event) => setValues({ ...values, specialty: event.target.value })}
            />
            <TextField
              label={t('fields.city')}
              hint={t('booking.cityHint')}
              name="city"
              type="search"
              maxLength={100}
              autoComplete="address-level2"
              value={values.city}
              onChange={(event) => setValues({ ...values, city: event.target.value })}
            />
            <div className="search-form__actions">
              <Button type="submit">{t('booking.search')}</Button>
              {searched ? (
                <Button variant="ghost" onClick={clear}>
                  {t('booking.clear')}
                </Button>
              ) : null}
            </div>
          </form>
        </search>
      </Card>

      <section aria-labelledby="booking-results" className="stack">
        <h2 id="booking-results" className="section-title">
          {searched ? t('booking.resultsTitle') : t('booking.allTitle')}
        </h2>
        <div aria-live="polite" aria-atomic="true" className="visually-hidden">
          {resource.status === 'ready'
            ? t('booking.resultsCount', { count: resource.data.practitioners.length })
            : ''}
        </div>
        {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
        {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
        {resource.status === 'ready' ? (
          resource.data.practitioners.length === 0 ? (
            <p className="empty-state">{t('booking.noResults')}</p>
          ) : (
            <>
              <p className="muted small">
                {t('booking.resultsCount', { count: resource.data.practitioners.length })}
              </p>
              <ul className="result-list">
                {resource.data.practitioners.map((entry) => (
                  <li key={`${entry.practitionerId}/${entry.practiceId}`}>
                    <PractitionerCard entry={entry} />
                  </li>
                ))}
              </ul>
            </>
          )
        ) : null}
      </section>
    </div>
  );
}

function PractitionerCard({ entry }: { entry: DirectoryEntry }) {
  const { t } = useTranslation();
  const name = `${entry.firstName} ${entry.lastName}`;
  return (
    <article className="result-card">
      <div className="result-card__avatar" aria-hidden="true">
        {entry.firstName.charAt(0)}
        {entry.lastName.charAt(0)}
      </div>
      <div className="result-card__body">
        <h3 className="result-card__name">{name}</h3>
        <p className="result-card__specialty">{entry.specialty}</p>
        <p className="result-card__address">
          <span className="result-card__practice">{entry.practiceName}</span>
          <br />
          {entry.address}, {entry.postcode} {entry.city}
        </p>
      </div>
      <div className="result-card__action">
        {entry.bookable ? (
          <ButtonLink to={bookingPath(entry)} state={{ entry }}>
            {t('booking.seeTimes')}
            <span className="visually-hidden"> {t('booking.withName', { name })}</span>
          </ButtonLink>
        ) : (
          <Badge>{t('booking.notBookable')}</Badge>
        )}
      </div>
    </article>
  );
}
