import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { MeResponse } from '../../../../src/contracts/accounts';
import { Alert } from '../../components/alert';
import { Button, buttonClassName } from '../../components/button';
import { Card } from '../../components/card';
import { Checkbox } from '../../components/checkbox';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { PasswordField } from '../../components/password-field';
import { ProgressBar } from '../../components/progress-bar';
import { errorCode } from '../../i18n/errors';
import { fileSize, formatDateTime } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { useSession } from '../../session/session';
import { type DataExport, dataRightsApi } from './api';

const POLL_MS = 1_500;

/** A patient's data rights on their account page: a copy of all their data, and closing the account. */
export function DataRightsSection({ me }: { me: MeResponse }) {
  return (
    <div className="grid-2 account-grid">
      <ExportCard me={me} />
      <CloseAccountCard me={me} />
    </div>
  );
}

function ExportCard({ me }: { me: MeResponse }) {
  const { t, i18n } = useTranslation();
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | undefined>();
  const [current, setCurrent] = useState<DataExport | null>(null);
  const { busy, error, run } = useSubmit();

  // Follow the export being built until it is ready (or failed).
  useEffect(() => {
    if (current?.status !== 'building') return;
    const timer = window.setTimeout(() => {
      dataRightsApi.exportStatus(current.id).then(setCurrent, () => undefined);
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [current]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!password) {
      setPasswordError(t('validation.required'));
      return;
    }
    setPasswordError(undefined);
    const outcome = await run(() => dataRightsApi.requestExport(password));
    if (outcome.ok) {
      setPassword('');
      setCurrent(outcome.value);
    }
  }

  const wrongPassword =
    errorCode(error) === 'MISSIVE_INVALID_CREDENTIALS' ? t('account.wrongCurrentPassword') : undefined;
  const progress = current && current.total > 0 ? current.progress / current.total : undefined;

  return (
    <Card title={t('dataRights.export.title')} description={t('dataRights.export.description')}>
      <div className="stack">
        <div aria-live="polite">
          {current?.status === 'building' ? (
            <ProgressBar
              label={t('dataRights.export.building')}
              value={progress}
              detail={current.total > 0 ? `${Math.round((progress ?? 0) * 100)} %` : undefined}
            />
          ) : null}
          {current?.status === 'ready' ? (
            <Alert tone="success" title={t('dataRights.export.readyTitle')}>
              <p>
                {t('dataRights.export.ready', {
                  size: fileSize(current.size ?? 0, i18n.language),
                  until: formatDateTime(current.expiresAt, i18n.language, true),
                })}
              </p>
              <p>
                <a
                  className={buttonClassName({ small: true })}
                  href={dataRightsApi.downloadPath(current.id)}
                  download
                >
                  {t('dataRights.export.download')}
                </a>
              </p>
            </Alert>
          ) : null}
          {current?.status === 'failed' ? <Alert tone="danger">{t('dataRights.export.failed')}</Alert> : null}
        </div>
        {current?.status === 'building' ? null : (
          <form className="form" onSubmit={submit} noValidate>
            <FormError error={error} message={wrongPassword} />
            <input
              type="email"
              name="username"
              autoComplete="username"
              value={me.user.email}
              readOnly
              hidden
            />
            <PasswordField
              label={t('dataRights.passwordAgain')}
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={passwordError ?? wrongPassword}
            />
            <div className="form__actions">
              <Button type="submit" variant="secondary" busy={busy}>
                {t('dataRights.export.submit')}
              </Button>
            </div>
          </form>
        )}
      </div>
    </Card>
  );
}

function CloseAccountCard({ me }: { me: MeResponse }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; confirm?: string }>({});
  const { busy, error, setError, run } = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);

  function close() {
    if (busy) return;
    setOpen(false);
    setPassword('');
    setConfirmed(false);
    setFieldErrors({});
    setError(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = {
      password: password ? undefined : t('validation.required'),
      confirm: confirmed ? undefined : t('dataRights.close.confirmRequired'),
    };
    setFieldErrors(errors);
    if (errors.password || errors.confirm) return;
    const outcome = await run(() => dataRightsApi.closeAccount(password));
    // The closed-account page forgets the session: leaving this (signed-in) page first avoids a detour to sign-in.
    if (outcome.ok) navigate('/account-closed', { replace: true });
  }

  const wrongPassword =
    errorCode(error) === 'MISSIVE_INVALID_CREDENTIALS' ? t('account.wrongCurrentPassword') : undefined;

  return (
    <Card title={t('dataRights.close.title')} description={t('dataRights.close.description')}>
      <div className="stack">
        <ul className="small">
          <li>{t('dataRights.close.erased')}</li>
          <li>{t('dataRights.close.kept')}</li>
        </ul>
        <p className="small">
          <Link to="/privacy">{t('terms.names.privacy')}</Link>
        </p>
        <div className="form__actions">
          <Button variant="danger-outline" onClick={() => setOpen(true)}>
            {t('dataRights.close.open')}
          </Button>
        </div>
      </div>
      <Dialog
        open={open}
        title={t('dataRights.close.dialogTitle')}
        onClose={close}
        actions={
          <>
            <Button variant="secondary" onClick={close} disabled={busy}>
              {t('common.cancel')}
            </Button>
            <Button variant="danger" type="submit" form="close-account-form" busy={busy}>
              {t('dataRights.close.submit')}
            </Button>
          </>
        }
      >
        <form id="close-account-form" ref={formRef} className="form" onSubmit={submit} noValidate>
          <p>{t('dataRights.close.dialogText')}</p>
          <FormError error={error} message={wrongPassword} />
          <input type="email" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
          <PasswordField
            label={t('dataRights.passwordAgain')}
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldErrors.password ?? wrongPassword}
          />
          <Checkbox
            label={t('dataRights.close.confirm')}
            checked={confirmed}
            onChange={(event) => setConfirmed(event.target.checked)}
          />
          {fieldErrors.confirm ? (
            <p className="field__error" role="alert">
              {fieldErrors.confirm}
            </p>
          ) : null}
        </form>
      </Dialog>
    </Card>
  );
}

/** Shown once the account is closed (the person is signed out). */
export function AccountClosedPage() {
  const { t } = useTranslation();
  const { setMe } = useSession();
  useEffect(() => setMe(null), [setMe]);
  return (
    <div className="stack">
      <h1>{t('dataRights.closed.title')}</h1>
      <p>{t('dataRights.closed.text')}</p>
      <p>
        <Link to="/">{t('dataRights.closed.home')}</Link>
      </p>
    </div>
  );
}
