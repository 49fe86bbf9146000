import { type ChangeEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { ImportPreview } from '../../../../src/contracts/care';
import type { UploadPhase } from '../../api/client';
import { isApiError } from '../../api/client';
import { type ImportResult, practicePatientsApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { EmailAddress } from '../../components/email-address';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { ProgressBar } from '../../components/progress-bar';
import { Select } from '../../components/select';
import { PageLoading } from '../../components/spinner';
import { type Column, Table } from '../../components/table';
import { formatNumericDate } from '../../lib/time';
import { usePractice } from '../agenda/use-practice';

/** The server's limit on an import body. */
const MAX_BYTES = 16 * 1024 * 1024;

type RowError = ImportPreview['errors'][number];
type SampleRow = ImportPreview['sample'][number];

type Stage =
  | { step: 'idle' }
  | { step: 'reading' }
  | { step: 'checking'; phase: UploadPhase }
  | { step: 'checked'; preview: ImportPreview }
  | { step: 'importing'; preview: ImportPreview; phase: UploadPhase }
  | { step: 'imported'; result: ImportResult }
  | { step: 'failed'; error: unknown; preview?: ImportPreview; rowErrors?: RowError[] };

/** French and Italian software often still export in Windows-1252: accept both. */
export async function readCsvFile(file: File): Promise<string> {
  const buffer = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/** `line 12.birthDate` issues of a refused import, as rows of the error table. */
export function issuesAsRowErrors(issues: readonly { path: string; reason: string }[]): RowError[] {
  return issues.flatMap((issue) => {
    const match = /^line (\d+)\.(.+)$/.exec(issue.path);
    return match ? [{ line: Number(match[1]), field: match[2] ?? '', reason: issue.reason }] : [];
  });
}

export function ImportPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { me, membership, resource, reload, practitioners } = usePractice(practiceId);
  if (!membership?.rights.includes('patients'))
    return (
      <div className="stack-lg">
        <PageHeader title={t('import.title')} />
        <Alert tone="warning">{t('patients.noRight')}</Alert>
      </div>
    );
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('import.title')} />
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  const defaultPractitioner =
    practitioners.find((member) => member.userId === me?.user.id)?.userId ?? practitioners[0]?.userId ?? '';
  return (
    <Importer
      practiceId={practiceId}
      practiceName={resource.data.practice.name}
      practitioners={practitioners.map((member) => ({
        value: member.userId,
        label: `${member.firstName} ${member.lastName}`,
      }))}
      defaultPractitioner={defaultPractitioner}
    />
  );
}

function Importer({
  practiceId,
  practiceName,
  practitioners,
  defaultPractitioner,
}: {
  practiceId: string;
  practiceName: string;
  practitioners: { value: string; label: string }[];
  defaultPractitioner: string;
}) {
  const { t, i18n } = useTranslation();
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [practitionerId, setPractitionerId] = useState(defaultPractitioner);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const working = stage.step === 'reading' || stage.step === 'checking' || stage.step === 'importing';

  async function check(text: string, practitioner: string) {
    setStage({ step: 'checking', phase: { phase: 'uploading', loaded: 0, total: text.length } });
    try {
      const preview = await practicePatientsApi.previewImport(practiceId, practitioner, text, (phase) =>
        setStage({ step: 'checking', phase }),
      );
      setStage({ step: 'checked', preview });
    } catch (error) {
      setStage({ step: 'failed', error });
    }
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFileError(undefined);
    if (!chosen) return;
    if (chosen.size > MAX_BYTES) {
      setFile(null);
      setStage({ step: 'idle' });
      setFileError(t('import.tooLarge'));
      return;
    }
    setStage({ step: 'reading' });
    const text = await readCsvFile(chosen);
    if (!text.trim()) {
      setFile(null);
      setStage({ step: 'idle' });
      setFileError(t('import.emptyFile'));
      return;
    }
    setFile({ name: chosen.name, text });
    await check(text, practitionerId);
  }

  async function commit(preview: ImportPreview) {
    if (!file) return;
    setStage({
      step: 'importing',
      preview,
      phase: { phase: 'uploading', loaded: 0, total: file.text.length },
    });
    try {
      const result = await practicePatientsApi.commitImport(practiceId, practitionerId, file.text, (phase) =>
        setStage({ step: 'importing', preview, phase }),
      );
      setStage({ step: 'imported', result });
    } catch (error) {
      setStage({
        step: 'failed',
        error,
        preview,
        ...(isApiError(error) && error.code === 'MISSIVE_IMPORT_INVALID'
          ? { rowErrors: issuesAsRowErrors(error.issues) }
          : {}),
      });
    }
  }

  function restart() {
    setFile(null);
    setStage({ step: 'idle' });
    if (fileInput.current) fileInput.current.value = '';
    fileInput.current?.focus();
  }

  function downloadTemplate() {
    const header = t('import.templateHeader');
    const example = t('import.templateExample');
    const blob = new Blob([`\uFEFF${header}\r\n${example}\r\n`], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = t('import.templateFile');
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const preview =
    stage.step === 'checked' || stage.step === 'importing'
      ? stage.preview
      : stage.step === 'failed'
        ? stage.preview
        : undefined;

  return (
    <div className="stack-lg">
      <p className="back-link">
        <Link to={`/practices/${practiceId}/patients`}>{t('import.backToPatients')}</Link>
      </p>
      <PageHeader
        title={t('import.title')}
        description={t('import.description', { practice: practiceName })}
      />

      {stage.step === 'imported' ? (
        <ImportDone
          result={stage.result}
          practiceId={practiceId}
          onAgain={() => {
            restart();
          }}
        />
      ) : (
        <>
          <Card title={t('import.step1')}>
            <div className="form">
              <Select
                label={t('import.practitioner')}
                hint={t('import.practitionerHint')}
                value={practitionerId}
                disabled={working}
                className="narrow-field"
                onChange={(event) => {
                  setPractitionerId(event.target.value);
                  if (file) void check(file.text, event.target.value);
                }}
                options={practitioners}
              />
              <div className="field">
                <label className="field__label" htmlFor={fileId}>
                  {t('import.file')}
                </label>
                <div className="file-picker">
                  <input
                    ref={fileInput}
                    id={fileId}
                    type="file"
                    accept=".csv,.txt,text/csv,text/plain"
                    className="file-picker__input"
                    disabled={working}
                    aria-describedby={`${fileId}-hint${fileError ? ` ${fileId}-error` : ''}`}
                    aria-invalid={fileError ? true : undefined}
                    onChange={(event) => void chooseFile(event)}
                  />
                  <span className="btn btn--secondary file-picker__button" aria-hidden="true">
                    {t('import.chooseFile')}
                  </span>
                  <span className="file-picker__name" aria-hidden="true">
                    {file?.name ?? t('import.noFile')}
                  </span>
                </div>
                {/* Hint then error under the control, as FieldMessages lays out the other fields. */}
                <div id={`${fileId}-hint`} className="field__hint">
                  {t('import.fileHint')}
                </div>
                {fileError ? (
                  <div id={`${fileId}-error`} className="field__error">
                    {fileError}
                  </div>
                ) : null}
              </div>
              <details className="columns-help">
                <summary>{t('import.columnsTitle')}</summary>
                <div className="stack">
                  <ul className="plain-list">
                    <li>{t('import.columns.lastName')}</li>
                    <li>{t('import.columns.firstName')}</li>
                    <li>{t('import.columns.birthDate')}</li>
                    <li>{t('import.columns.email')}</li>
                    <li>{t('import.columns.lastConsultationOn')}</li>
                  </ul>
                  <p className="small muted">{t('import.columnsFormat')}</p>
                  <div>
                    <Button variant="secondary" small onClick={downloadTemplate}>
                      {t('import.downloadTemplate')}
                    </Button>
                  </div>
                </div>
              </details>
            </div>
          </Card>

          {stage.step === 'reading' ? <ProgressBar label={t('import.reading')} /> : null}
          {stage.step === 'checking' ? <Progress phase={stage.phase} label={t('import.checking')} /> : null}
          {stage.step === 'failed' && !stage.rowErrors ? <FormError error={stage.error} /> : null}

          {preview && file ? (
            <PreviewCard
              preview={preview}
              fileName={file.name}
              rowErrors={stage.step === 'failed' ? stage.rowErrors : undefined}
              language={i18n.language}
              footer={
                stage.step === 'importing' ? (
                  <Progress phase={stage.phase} label={t('import.importing')} />
                ) : (
                  <div className="stack">
                    {preview.errorCount === 0 && preview.validRows > 0 ? (
                      <p className="small muted">{t('import.invitationsNote')}</p>
                    ) : null}
                    <div className="form__actions">
                      <Button
                        disabled={
                          preview.errorCount > 0 || preview.validRows === 0 || stage.step === 'failed'
                        }
                        onClick={() => void commit(preview)}
                      >
                        {t('import.submit', { count: preview.validRows })}
                      </Button>
                      <Button variant="secondary" onClick={restart}>
                        {t('import.chooseAnother')}
                      </Button>
                    </div>
                  </div>
                )
              }
            />
          ) : null}
        </>
      )}
    </div>
  );
}

function Progress({ phase, label }: { phase: UploadPhase; label: string }) {
  const { t } = useTranslation();
  if (phase.phase === 'processing') return <ProgressBar label={label} />;
  const ratio = phase.total > 0 ? Math.min(1, phase.loaded / phase.total) : 0;
  return (
    <ProgressBar
      label={t('import.uploading')}
      value={ratio}
      detail={new Intl.NumberFormat(undefined, { style: 'percent' }).format(ratio)}
    />
  );
}

function PreviewCard({
  preview,
  fileName,
  rowErrors,
  language,
  footer,
}: {
  preview: ImportPreview;
  fileName: string;
  rowErrors: RowError[] | undefined;
  language: string;
  footer: ReactNode;
}) {
  const { t } = useTranslation();
  const errors = rowErrors ?? preview.errors;
  const errorCount = rowErrors ? rowErrors.length : preview.errorCount;
  const fieldName = (field: string) => t(`import.fields.${field}`, { defaultValue: field });
  const errorColumns: Column<RowError & { index: number }>[] = [
    {
      key: 'line',
      header: t('import.line'),
      label: t('import.line'),
      rowHeader: true,
      render: (row) => row.line,
      className: 'cell-narrow',
    },
    {
      key: 'field',
      header: t('import.column'),
      label: t('import.column'),
      render: (row) => fieldName(row.field),
    },
    {
      key: 'reason',
      header: t('import.problem'),
      label: t('import.problem'),
      render: (row) => t(`import.reasons.${row.reason}`, { defaultValue: t('import.reasons.unreadable') }),
    },
  ];
  const sampleColumns: Column<SampleRow>[] = [
    {
      key: 'line',
      header: t('import.line'),
      label: t('import.line'),
      render: (row) => row.line,
      className: 'cell-narrow',
    },
    {
      key: 'name',
      header: t('fields.name'),
      label: t('fields.name'),
      rowHeader: true,
      render: (row) => (
        <span>
          <span className="patient-name__last">{row.lastName}</span> {row.firstName}
        </span>
      ),
    },
    {
      key: 'birthDate',
      header: t('fields.birthDate'),
      label: t('fields.birthDate'),
      render: (row) => formatNumericDate(row.birthDate, language),
    },
    {
      key: 'email',
      header: t('fields.email'),
      label: t('fields.email'),
      render: (row) => (row.email ? <EmailAddress email={row.email} /> : <span className="muted">—</span>),
      className: 'cell-email',
    },
    {
      key: 'last',
      header: t('patients.lastConsultation'),
      label: t('patients.lastConsultation'),
      render: (row) => formatNumericDate(row.lastConsultationOn, language),
    },
  ];

  return (
    <Card title={t('import.step2')} description={fileName}>
      <div className="stack">
        <dl className="stats">
          <div className="stats__item">
            <dt>{t('import.totalRows')}</dt>
            <dd>{preview.totalRows}</dd>
          </div>
          <div className="stats__item stats__item--success">
            <dt>{t('import.validRows')}</dt>
            <dd>{preview.validRows}</dd>
          </div>
          <div className={errorCount > 0 ? 'stats__item stats__item--danger' : 'stats__item'}>
            <dt>{t('import.errorRows')}</dt>
            <dd>{errorCount}</dd>
          </div>
        </dl>
        <div aria-live="polite">
          {errorCount > 0 ? (
            <Alert tone="danger" title={t('import.hasErrors', { count: errorCount })}>
              {rowErrors ? t('errors.MISSIVE_IMPORT_INVALID') : t('import.fixAndRetry')}
            </Alert>
          ) : preview.validRows === 0 ? (
            <Alert tone="warning">{t('import.noRows')}</Alert>
          ) : (
            <Alert tone="success">{t('import.ready', { count: preview.validRows })}</Alert>
          )}
        </div>
        {errorCount > 0 ? (
          <section className="stack" aria-labelledby="import-errors">
            <h3 id="import-errors">{t('import.errorsTitle')}</h3>
            <Table
              caption={t('import.errorsTitle')}
              columns={errorColumns}
              rows={errors.map((row, index) => ({ ...row, index }))}
              rowKey={(row) => String(row.index)}
              empty=""
            />
            {errorCount > errors.length ? (
              <p className="small muted">{t('import.moreErrors', { count: errorCount - errors.length })}</p>
            ) : null}
          </section>
        ) : null}
        {preview.sample.length > 0 ? (
          <section className="stack" aria-labelledby="import-sample">
            <h3 id="import-sample">{t('import.sampleTitle')}</h3>
            <p className="small muted">
              {t('import.sampleDescription', { count: preview.sample.length, total: preview.validRows })}
            </p>
            <Table
              caption={t('import.sampleTitle')}
              columns={sampleColumns}
              rows={preview.sample}
              rowKey={(row) => String(row.line)}
              empty=""
            />
          </section>
        ) : null}
        {footer}
      </div>
    </Card>
  );
}

function ImportDone({
  result,
  practiceId,
  onAgain,
}: {
  result: ImportResult;
  practiceId: string;
  onAgain: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card title={t('import.doneTitle')}>
      <div className="stack">
        <Alert tone="success" role="status">
          {t('import.done', { count: result.imported })}
        </Alert>
        <dl className="stats">
          <div className="stats__item">
            <dt>{t('import.imported')}</dt>
            <dd>{result.imported}</dd>
          </div>
          <div className="stats__item">
            <dt>{t('import.created')}</dt>
            <dd>{result.created}</dd>
          </div>
          <div className="stats__item">
            <dt>{t('import.updated')}</dt>
            <dd>{result.updated}</dd>
          </div>
          <div className="stats__item">
            <dt>{t('import.invitations')}</dt>
            <dd>{result.invitations}</dd>
          </div>
        </dl>
        {result.invitations > 0 ? (
          <p className="small muted">{t('import.invitationsSent', { count: result.invitations })}</p>
        ) : null}
        <div className="cluster">
          <ButtonLink to={`/practices/${practiceId}/patients`}>{t('import.seePatients')}</ButtonLink>
          <Button variant="secondary" onClick={onAgain}>
            {t('import.another')}
          </Button>
        </div>
      </div>
    </Card>
  );
}
