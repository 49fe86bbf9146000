import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpSetupResponse } from '../../../../src/contracts/accounts';
import { authApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { CodeField } from '../../components/code-field';
import { FormError } from '../../components/form-error';
import { CopyIcon } from '../../components/icons';
import { PageLoading } from '../../components/spinner';
import { errorText } from '../../i18n/errors';
import { groupInFours } from '../../lib/format';
import { useSubmit } from '../../lib/use-submit';
import { isTotpCode } from '../../lib/validation';
import { useSession } from '../../session/session';
import { AuthCard } from '../auth/auth-card';

type Setup =
  | { step: 'loading' }
  | { step: 'ready'; setup: TotpSetupResponse }
  | { step: 'failed'; error: unknown };

/** Staff and administrators set up an authenticator app before anything else. */
export function EnrolPage() {
  const { t } = useTranslation();
  const { setMe } = useSession();
  const [setup, setSetup] = useState<Setup>({ step: 'loading' });
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { busy, error, run } = useSubmit();
  const started = useRef(false);

  const loadSetup = useCallback(() => {
    setSetup({ step: 'loading' });
    authApi.setupTotp().then(
      (value) => setSetup({ step: 'ready', setup: value }),
      (failure: unknown) => setSetup({ step: 'failed', error: failure }),
    );
  }, []);

  useEffect(() => {
    // One secret per visit: a second request would replace the secret the person is scanning.
    if (started.current) return;
    started.current = true;
    loadSetup();
  }, [loadSetup]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isTotpCode(code)) {
      setFieldError(t('validation.code'));
      return;
    }
    setFieldError(undefined);
    const outcome = await run(() => authApi.enableTotp(code.trim()));
    // With 2-step verified, the route guard moves on to the page the person wanted, or home.
    if (outcome.ok) setMe(outcome.value);
    else setCode('');
  }

  return (
    <AuthCard title={t('security.enrol.title')} description={t('security.enrol.description')}>
      {setup.step === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {setup.step === 'failed' ? (
        <div className="stack">
          <Alert tone="danger" role="alert">
            {errorText(t, setup.error)}
          </Alert>
          <Button variant="secondary" onClick={loadSetup}>
            {t('common.retry')}
          </Button>
        </div>
      ) : null}
      {setup.step === 'ready' ? (
        <ol className="steps">
          <li>
            <h2 className="h3">{t('security.enrol.step1Title')}</h2>
            <p className="muted">{t('security.enrol.step1Text')}</p>
          </li>
          <li>
            <h2 className="h3">{t('security.enrol.step2Title')}</h2>
            <p className="muted">{t('security.enrol.step2Text')}</p>
            <img
              className="qr"
              src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.setup.qrSvg)}`}
              alt={t('security.enrol.qrAlt')}
              width={208}
              height={208}
            />
            <ManualKey value={setup.setup.manualKey} />
          </li>
          <li>
            <h2 className="h3">{t('security.enrol.step3Title')}</h2>
            <form className="form" onSubmit={submit} noValidate>
              <FormError error={error} />
              <CodeField value={code} onChange={setCode} error={fieldError} />
              <div className="form__actions">
                <Button type="submit" busy={busy} block>
                  {t('security.enrol.submit')}
                </Button>
              </div>
            </form>
          </li>
        </ol>
      ) : null}
    </AuthCard>
  );
}

function ManualKey({ value }: { value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const grouped = groupInFours(value);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value.replace(/\s+/g, ''));
      setCopied(true);
      window.setTimeout(() => setCopied(false), 3000);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div className="manual-key-block">
      <p className="small">{t('security.enrol.manualIntro')}</p>
      <div className="cluster">
        <code className="manual-key">{grouped}</code>
        <Button variant="secondary" small onClick={copy} icon={<CopyIcon />}>
          {copied ? t('security.enrol.copied') : t('security.enrol.copy')}
        </Button>
      </div>
      <span className="visually-hidden" aria-live="polite">
        {copied ? t('security.enrol.copied') : ''}
      </span>
    </div>
  );
}
