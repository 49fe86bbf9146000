import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, buttonClassName } from '../../components/button';
import { Card } from '../../components/card';
import { TextField } from '../../components/text-field';
import { addDays, isIsoDate, todayIn } from '../../lib/time';
import { auditApi } from './api';
import './audit.css';

/** Lets a practice administrator download the practice's audit trail over a range of days (CSV). */
export function AuditExportCard({ practiceId, timeZone }: { practiceId: string; timeZone: string }) {
  const { t } = useTranslation();
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const errorId = useId();
  const valid = isIsoDate(from) && isIsoDate(to) && from <= to;
  const error =
    !isIsoDate(from) || !isIsoDate(to)
      ? t('auditExport.invalidDate')
      : from > to
        ? t('auditExport.fromAfterTo')
        : undefined;

  return (
    <Card title={t('auditExport.title')} description={t('auditExport.description')}>
      <div className="stack">
        <div className="cluster audit-export__fields">
          <TextField
            label={t('auditExport.from')}
            type="date"
            value={from}
            max={today}
            onChange={(event) => setFrom(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
          <TextField
            label={t('auditExport.to')}
            type="date"
            value={to}
            max={today}
            onChange={(event) => setTo(event.target.value)}
            aria-describedby={error ? errorId : undefined}
          />
        </div>
        {error ? (
          <p id={errorId} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div>
          {valid ? (
            <a
              className={buttonClassName({ variant: 'secondary' })}
              href={auditApi.practiceCsvUrl(practiceId, from, to)}
              download
            >
              {t('auditExport.download')}
            </a>
          ) : (
            <Button variant="secondary" disabled>
              {t('auditExport.download')}
            </Button>
          )}
        </div>
        <p className="muted">{t('auditExport.note')}</p>
      </div>
    </Card>
  );
}
