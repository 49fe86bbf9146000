import { type ChangeEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { Spinner } from '../../components/spinner';
import { errorText } from '../../i18n/errors';
import { campaignsApi, type PatientListMatch } from './api';

/** Larger files are refused before sending (the server accepts up to a million characters). */
const MAX_FILE_BYTES = 1_000_000;

/**
 * The audience as a list of patients: a CSV file (last name, first name, birth date) matched against the
 * practice's records; the rows that match nobody are listed with the reason.
 */
export function PatientListPicker({
  practiceId,
  match,
  onMatch,
}: {
  practiceId: string;
  match: PatientListMatch | null;
  onMatch: (match: PatientListMatch | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [fileName, setFileName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setError('');
    onMatch(null);
    if (file.size > MAX_FILE_BYTES) {
      setError(t('campaigns.list.tooLarge'));
      return;
    }
    setBusy(true);
    try {
      onMatch(await campaignsApi.matchList(practiceId, await file.text()));
    } catch (caught) {
      setError(
        isApiError(caught) && caught.issues.some((issue) => issue.reason === 'missing_column')
          ? t('campaigns.list.missingColumns')
          : isApiError(caught) && caught.issues.some((issue) => issue.reason === 'unreadable')
            ? t('campaigns.list.unreadable')
            : isApiError(caught) && caught.issues.some((issue) => issue.reason === 'too_many_rows')
              ? t('campaigns.list.tooMany')
              : errorText(t, caught),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack">
      <div className="field">
        <label className="field__label" htmlFor={id}>
          {t('campaigns.list.file')}
        </label>
        <div className="file-picker">
          <input
            id={id}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            className="file-picker__input"
            disabled={busy}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? true : undefined}
            onChange={(event) => void choose(event)}
          />
          <span className="btn btn--secondary file-picker__button" aria-hidden="true">
            {t('campaigns.list.choose')}
          </span>
          <span className="file-picker__name" aria-hidden="true">
            {fileName || t('campaigns.list.noFile')}
          </span>
        </div>
        <div id={`${id}-hint`} className="field__hint">
          {t('campaigns.list.fileHint')}
        </div>
        {error ? (
          <div id={`${id}-error`} className="field__error">
            {error}
          </div>
        ) : null}
      </div>
      <div aria-live="polite">
        {busy ? <Spinner label={t('campaigns.list.matching')} /> : null}
        {match ? <MatchReport match={match} /> : null}
      </div>
    </div>
  );
}

function MatchReport({ match }: { match: PatientListMatch }) {
  const { t } = useTranslation();
  return (
    <div className="stack-tight">
      <p className="campaign-list__summary">
        {t('campaigns.list.found', { count: match.profileIds.length, rows: match.rows })}
      </p>
      {match.unmatchedCount > 0 ? (
        <details className="campaign-list__unmatched" open={match.unmatchedCount <= 10}>
          <summary>{t('campaigns.list.unmatched', { count: match.unmatchedCount })}</summary>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('campaigns.list.unmatchedCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('campaigns.list.line')}</th>
                  <th scope="col">{t('campaigns.list.name')}</th>
                  <th scope="col">{t('campaigns.list.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {match.unmatched.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <th scope="row">{row.name || '—'}</th>
                    <td>{t(`campaigns.list.reasons.${row.reason}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {match.unmatchedCount > match.unmatched.length ? (
            <p className="muted">
              {t('campaigns.list.more', { count: match.unmatchedCount - match.unmatched.length })}
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}
