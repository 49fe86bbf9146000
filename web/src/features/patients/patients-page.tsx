import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import type { PracticePatient } from '../../../../src/contracts/care';
import { type PracticePatientsResponse, practicePatientsApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { Select } from '../../components/select';
import { PageLoading, Spinner } from '../../components/spinner';
import { type Column, Table } from '../../components/table';
import { TextField } from '../../components/text-field';
import { formatInstant, formatNumericDate, isoDateIn, todayIn } from '../../lib/time';
import { usePractice } from '../agenda/use-practice';
import { ageText } from '../relatives/profile-label';
import { TagEditor } from './tag-editor';

const PAGE_SIZE = 25;

type ListState = { data: PracticePatientsResponse | null; loading: boolean; error: unknown };

export function PatientsPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { membership, resource, reload } = usePractice(practiceId);
  if (!membership?.rights.includes('patients'))
    return (
      <div className="stack-lg">
        <PageHeader title={t('patients.title')} />
        <Alert tone="warning">{t('patients.noRight')}</Alert>
      </div>
    );
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('patients.title')} />
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  return (
    <PatientsList
      practiceId={practiceId}
      practiceName={resource.data.practice.name}
      timeZone={resource.data.practice.timeZone}
    />
  );
}

function PatientsList({
  practiceId,
  practiceName,
  timeZone,
}: {
  practiceId: string;
  practiceName: string;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [search, setSearch] = useState(q);
  const [state, setState] = useState<ListState>({ data: null, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const today = todayIn(timeZone);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` forces a reload.
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    practicePatientsApi
      .list(practiceId, {
        q: q || undefined,
        tag: tag || undefined,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      })
      .then(
        (data) => {
          if (current) setState({ data, loading: false, error: null });
        },
        (error: unknown) => {
          if (current) setState((previous) => ({ ...previous, loading: false, error }));
        },
      );
    return () => {
      current = false;
    };
  }, [practiceId, q, tag, page, attempt]);

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update({ q: search.trim(), page: null });
  }

  function setTags(patientId: string, tags: string[]) {
    setState((previous) =>
      previous.data
        ? {
            ...previous,
            data: {
              ...previous.data,
              patients: previous.data.patients.map((patient) =>
                patient.id === patientId ? { ...patient, tags } : patient,
              ),
              tags: [...new Set([...previous.data.tags, ...tags])].sort(),
            },
          }
        : previous,
    );
  }

  const data = state.data;
  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const columns: Column<PracticePatient>[] = [
    {
      key: 'name',
      header: t('fields.name'),
      label: t('fields.name'),
      rowHeader: true,
      render: (patient) => (
        <span className="patient-name">
          <span className="patient-name__last">{patient.lastName}</span> {patient.firstName}
        </span>
      ),
    },
    {
      key: 'birthDate',
      header: t('fields.birthDate'),
      label: t('fields.birthDate'),
      render: (patient) => (
        <span className="stack-tight">
          <span>{formatNumericDate(patient.birthDate, i18n.language)}</span>
          <span className="small muted">{ageText(t, patient.birthDate, today)}</span>
        </span>
      ),
    },
    {
      key: 'account',
      header: t('patients.account'),
      label: t('patients.account'),
      render: (patient) =>
        patient.linked ? (
          <Badge tone="success" dot>
            {t('patients.linked')}
          </Badge>
        ) : patient.invited ? (
          <Badge tone="primary" dot>
            {t('patients.invited')}
          </Badge>
        ) : (
          <Badge>{t('patients.notLinked')}</Badge>
        ),
    },
    {
      key: 'last',
      header: t('patients.lastConsultation'),
      label: t('patients.lastConsultation'),
      render: (patient) =>
        patient.lastConsultationAt === null ? (
          <span className="muted">{t('patients.never')}</span>
        ) : (
          formatInstant(patient.lastConsultationAt, timeZone, i18n.language, false)
        ),
    },
    {
      key: 'practitioners',
      header: t('patients.practitioners'),
      label: t('patients.practitioners'),
      render: (patient) =>
        patient.practitioners.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <ul className="compact-list">
            {patient.practitioners.map((practitioner) => (
              <li key={practitioner.id}>
                {/* The name and "· date" each stay on one line: a narrow column wraps between them. */}
                <span className="compact-list__nowrap">{practitioner.name}</span>{' '}
                <span className="small muted compact-list__nowrap">
                  · {formatNumericDate(isoDateIn(practitioner.lastConsultationAt, timeZone), i18n.language)}
                </span>
              </li>
            ))}
          </ul>
        ),
    },
    {
      key: 'tags',
      header: t('patients.tags'),
      label: t('patients.tags'),
      className: 'cell-tags',
      render: (patient) => (
        <TagEditor
          practiceId={practiceId}
          patientId={patient.id}
          patientName={`${patient.firstName} ${patient.lastName}`}
          tags={patient.tags}
          knownTags={data?.tags ?? []}
          onChange={(tags) => setTags(patient.id, tags)}
        />
      ),
    },
  ];

  const filtered = Boolean(q || tag);
  return (
    <div className="stack-lg">
      <PageHeader
        title={t('patients.title')}
        description={practiceName}
        actions={
          <ButtonLink to={`/practices/${practiceId}/patients/import`} variant="secondary" small>
            {t('patients.import')}
          </ButtonLink>
        }
      />
      <Card>
        <search aria-label={t('patients.searchLabel')}>
          <form className="filters" onSubmit={submit}>
            <TextField
              label={t('patients.search')}
              hint={t('patients.searchHint')}
              type="search"
              maxLength={100}
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              className="filters__search"
            />
            <Select
              label={t('patients.tagFilter')}
              value={tag}
              onChange={(event) => update({ tag: event.target.value, page: null })}
              options={[
                { value: '', label: t('patients.allTags') },
                ...(data?.tags ?? (tag ? [tag] : [])).map((value) => ({ value, label: value })),
              ]}
              className="filters__tag"
            />
            <div className="filters__actions">
              <Button type="submit">{t('patients.searchSubmit')}</Button>
              {filtered ? (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setSearch('');
                    update({ q: null, tag: null, page: null });
                  }}
                >
                  {t('booking.clear')}
                </Button>
              ) : null}
            </div>
          </form>
        </search>
      </Card>

      <Card>
        <div className="stack">
          <div className="list-header">
            <p className="list-header__count" aria-live="polite">
              {data
                ? total === 0
                  ? t('patients.none')
                  : t('patients.range', { first, last, count: total })
                : ''}
            </p>
            {state.loading && data ? <Spinner label={t('common.loading')} /> : null}
          </div>
          {state.error ? (
            <LoadError error={state.error} onRetry={() => setAttempt((value) => value + 1)} />
          ) : null}
          {data === null && state.loading ? <PageLoading label={t('common.loading')} /> : null}
          {data ? (
            <div className={state.loading ? 'is-refreshing' : undefined}>
              <Table
                caption={t('patients.title')}
                columns={columns}
                rows={data.patients}
                rowKey={(patient) => patient.id}
                empty={filtered ? t('patients.noMatch') : t('patients.empty')}
              />
            </div>
          ) : null}
          {pages > 1 ? (
            <nav className="pagination" aria-label={t('patients.pagination')}>
              <Button
                variant="secondary"
                small
                disabled={page <= 1}
                onClick={() => update({ page: page - 1 > 1 ? String(page - 1) : null })}
              >
                <span aria-hidden="true">‹</span> {t('patients.previous')}
              </Button>
              <span className="small">{t('patients.page', { page, pages })}</span>
              <Button
                variant="secondary"
                small
                disabled={page >= pages}
                onClick={() => update({ page: String(page + 1) })}
              >
                {t('patients.next')} <span aria-hidden="true">›</span>
              </Button>
            </nav>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
