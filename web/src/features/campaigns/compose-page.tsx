import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Checkbox, Toggle } from '../../components/checkbox';
import { ConfirmDialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { Select } from '../../components/select';
import { PageLoading, Spinner } from '../../components/spinner';
import { TextAreaField } from '../../components/text-area-field';
import { TextField } from '../../components/text-field';
import { errorText, issuesByField } from '../../i18n/errors';
import { addDays, todayIn } from '../../lib/time';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { usePractice } from '../agenda/use-practice';
import { AttachmentField, useUploads } from '../messaging/compose/attachments';
import { MESSAGE_MAX_CHARS } from '../messaging/constants';
import '../messaging/messaging.css';
import { campaignsApi, type PatientListMatch } from './api';
import {
  type AudienceErrors,
  type AudienceForm,
  EMPTY_AUDIENCE_FORM,
  listAudience,
  toAudience,
  WINDOW_MONTHS,
  zonedToEpoch,
} from './audience-form';
import { PatientListPicker } from './patient-list';
import { type LiveCount, useAudienceCount } from './use-audience-count';
import './campaigns.css';

const TITLE_MAX_CHARS = 120;

type Kind = 'prevention' | 'practice_info';
type Values = {
  kind: Kind;
  title: string;
  body: string;
  patientsMayReply: boolean;
  when: 'now' | 'later';
  date: string;
  time: string;
  noAdvertising: boolean;
  noThirdParty: boolean;
};
type Errors = Partial<Record<'title' | 'body' | 'date' | 'checklist' | 'list' | 'attachment', string>>;

/** Compose a prevention campaign or practice news: message, audience with its live count, when, content rules. */
export function ComposeCampaignPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { membership, resource, reload } = usePractice(practiceId);
  const header = (
    <PageHeader title={t('campaigns.compose.title')} description={t('campaigns.compose.description')} />
  );
  const back = (
    <p className="back-link">
      <Link to={`/practices/${practiceId}/campaigns`}>{t('campaigns.back')}</Link>
    </p>
  );
  if (!membership?.rights.includes('campaigns') || membership.role !== 'practitioner')
    return (
      <div className="stack-lg">
        {back}
        {header}
        <Alert tone="warning">{t('campaigns.compose.practitionersOnly')}</Alert>
      </div>
    );
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        {back}
        {header}
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  return (
    <div className="stack-lg campaigns">
      {back}
      {header}
      <ComposeForm practiceId={practiceId} timeZone={resource.data.practice.timeZone} />
    </div>
  );
}

function ComposeForm({ practiceId, timeZone }: { practiceId: string; timeZone: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const tomorrow = addDays(todayIn(timeZone), 1);
  const [values, setValues] = useState<Values>({
    kind: 'prevention',
    title: '',
    body: '',
    patientsMayReply: false,
    when: 'now',
    date: tomorrow,
    time: '09:00',
    noAdvertising: false,
    noThirdParty: false,
  });
  const [audienceForm, setAudienceForm] = useState<AudienceForm>(EMPTY_AUDIENCE_FORM);
  const [audienceMode, setAudienceMode] = useState<'criteria' | 'list'>('criteria');
  const [listMatch, setListMatch] = useState<PatientListMatch | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit();
  const uploads = useUploads(1);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    if (key in errors) setErrors((previous) => ({ ...previous, [key]: undefined }));
  };

  const parsed = useMemo(
    () => (audienceMode === 'criteria' ? toAudience(audienceForm) : listAudience(listMatch)),
    [audienceForm, audienceMode, listMatch],
  );
  const audienceErrors: AudienceErrors = parsed.ok ? {} : parsed.errors;
  const sendAt =
    values.when === 'later' ? (zonedToEpoch(values.date, values.time, timeZone) ?? undefined) : undefined;
  const count = useAudienceCount(practiceId, parsed.ok ? parsed.audience : null, sendAt);
  const serverIssues = issuesByField(t, submit.error);

  function validate(): Errors {
    const next: Errors = {};
    if (!values.title.trim()) next.title = t('campaigns.compose.titleRequired');
    if (!values.body.trim()) next.body = t('campaigns.compose.bodyRequired');
    if (values.when === 'later') {
      const at = zonedToEpoch(values.date, values.time, timeZone);
      if (at === null) next.date = t('campaigns.compose.dateInvalid');
      else if (at < Date.now()) next.date = t('campaigns.compose.datePast');
    }
    if (!values.noAdvertising || !values.noThirdParty)
      next.checklist = t('campaigns.compose.checklistRequired');
    return next;
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const next = validate();
    setErrors(next);
    if (Object.values(next).some(Boolean) || !parsed.ok) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setConfirming(true);
  }

  async function send() {
    if (!parsed.ok) return;
    const outcome = await submit.run(() =>
      campaignsApi.create(practiceId, {
        kind: values.kind,
        title: values.title.trim(),
        body: values.body.trim(),
        patientsMayReply: values.patientsMayReply,
        audience: parsed.audience,
        ...(sendAt !== undefined ? { sendAt } : {}),
        ...(uploads.ready[0] ? { attachmentId: uploads.ready[0].id } : {}),
        contentRulesAccepted: true,
      }),
    );
    setConfirming(false);
    if (outcome.ok)
      navigate(`/practices/${practiceId}/campaigns/${outcome.value.id}`, { state: { created: true } });
  }

  const recipients = count.status === 'ready' ? count.count.recipients : null;
  return (
    <form ref={formRef} className="campaign-compose" onSubmit={onSubmit} noValidate>
      <div className="campaign-compose__main stack-lg">
        <Card title={t('campaigns.compose.messageTitle')}>
          <div className="stack">
            <fieldset className="fieldset">
              <legend className="fieldset__legend">{t('campaigns.compose.kind')}</legend>
              <div className="choice-list">
                {(['prevention', 'practice_info'] as const).map((kind) => (
                  <label key={kind} className="choice">
                    <input
                      type="radio"
                      name="kind"
                      value={kind}
                      checked={values.kind === kind}
                      onChange={() => set('kind', kind)}
                    />
                    <span className="choice__text">
                      <strong>{t(`campaigns.kind.${kind}`)}</strong>
                      <span className="muted">{t(`campaigns.kindHint.${kind}`)}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <TextField
              label={t('campaigns.compose.titleLabel')}
              hint={t('campaigns.compose.titleHint')}
              value={values.title}
              maxLength={TITLE_MAX_CHARS}
              onChange={(event) => set('title', event.target.value)}
              error={errors.title ?? serverIssues.title}
              required
            />
            <TextAreaField
              label={t('campaigns.compose.bodyLabel')}
              hint={t('campaigns.compose.bodyHint', { count: MESSAGE_MAX_CHARS - values.body.length })}
              value={values.body}
              rows={8}
              maxLength={MESSAGE_MAX_CHARS}
              onChange={(event) => set('body', event.target.value)}
              error={errors.body ?? serverIssues.body}
              required
            />
            <div className="field">
              <span className="field__label">
                {t('campaigns.compose.attachment')}{' '}
                <span className="field__optional">({t('common.optional')})</span>
              </span>
              <AttachmentField
                uploads={uploads}
                multiple={false}
                label={t('messaging.attachments.add')}
                hint={t('campaigns.compose.attachmentHint')}
              />
              {errors.attachment || serverIssues.attachmentId ? (
                <p className="field__error">{errors.attachment ?? serverIssues.attachmentId}</p>
              ) : null}
            </div>
            <Toggle
              label={t('campaigns.compose.mayReply')}
              hint={t('campaigns.compose.mayReplyHint')}
              checked={values.patientsMayReply}
              onChange={(event) => set('patientsMayReply', event.target.checked)}
            />
          </div>
        </Card>

        <Card title={t('campaigns.audience.title')} description={t('campaigns.audience.description')}>
          <div className="stack">
            <fieldset className="fieldset">
              <legend className="visually-hidden">{t('campaigns.audience.mode')}</legend>
              <div className="segmented">
                {(['criteria', 'list'] as const).map((mode) => (
                  <label key={mode} className="segmented__option">
                    <input
                      type="radio"
                      name="audienceMode"
                      value={mode}
                      checked={audienceMode === mode}
                      onChange={() => {
                        setAudienceMode(mode);
                        setErrors((previous) => ({ ...previous, list: undefined }));
                      }}
                    />
                    <span>{t(`campaigns.audience.modes.${mode}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            {audienceMode === 'criteria' ? (
              <AudienceFields form={audienceForm} onChange={setAudienceForm} errors={audienceErrors} />
            ) : (
              <PatientListPicker
                practiceId={practiceId}
                match={listMatch}
                onMatch={(match) => {
                  setListMatch(match);
                  setErrors((previous) => ({ ...previous, list: undefined }));
                }}
              />
            )}
            {errors.list ? <p className="field__error">{errors.list}</p> : null}
          </div>
        </Card>

        <Card title={t('campaigns.compose.whenTitle')}>
          <div className="stack">
            <fieldset className="fieldset">
              <legend className="visually-hidden">{t('campaigns.compose.whenTitle')}</legend>
              <div className="segmented">
                {(['now', 'later'] as const).map((when) => (
                  <label key={when} className="segmented__option">
                    <input
                      type="radio"
                      name="when"
                      value={when}
                      checked={values.when === when}
                      onChange={() => set('when', when)}
                    />
                    <span>{t(`campaigns.compose.when.${when}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            {values.when === 'later' ? (
              <div className="campaign-compose__when">
                <TextField
                  type="date"
                  label={t('campaigns.compose.date')}
                  value={values.date}
                  min={todayIn(timeZone)}
                  onChange={(event) => set('date', event.target.value)}
                  error={errors.date ?? serverIssues.sendAt}
                />
                <TextField
                  type="time"
                  label={t('campaigns.compose.time')}
                  value={values.time}
                  onChange={(event) => set('time', event.target.value)}
                />
                <p className="field__hint campaign-compose__zone">
                  {t('campaigns.compose.timeZone', { zone: timeZone })}
                </p>
              </div>
            ) : null}
          </div>
        </Card>

        <Card title={t('campaigns.compose.rulesTitle')} description={t('campaigns.compose.rulesDescription')}>
          <fieldset className="fieldset stack">
            <legend className="visually-hidden">{t('campaigns.compose.rulesTitle')}</legend>
            <Checkbox
              label={t('campaigns.compose.noAdvertising')}
              checked={values.noAdvertising}
              aria-invalid={errors.checklist && !values.noAdvertising ? true : undefined}
              onChange={(event) => {
                set('noAdvertising', event.target.checked);
                setErrors((previous) => ({ ...previous, checklist: undefined }));
              }}
            />
            <Checkbox
              label={t('campaigns.compose.noThirdParty')}
              checked={values.noThirdParty}
              aria-invalid={errors.checklist && !values.noThirdParty ? true : undefined}
              onChange={(event) => {
                set('noThirdParty', event.target.checked);
                setErrors((previous) => ({ ...previous, checklist: undefined }));
              }}
            />
            {errors.checklist ? <p className="field__error">{errors.checklist}</p> : null}
          </fieldset>
        </Card>
        <FormError error={submit.error} />
        <div className="cluster">
          <Button type="submit" busy={submit.busy}>
            {values.when === 'later' ? t('campaigns.compose.schedule') : t('campaigns.compose.sendNow')}
          </Button>
        </div>
      </div>
      <aside className="campaign-compose__side" aria-label={t('campaigns.count.region')}>
        <RecipientCount
          count={count}
          invalid={!parsed.ok}
          invalidText={audienceMode === 'list' ? t('campaigns.count.noList') : t('campaigns.count.invalid')}
        />
      </aside>
      <ConfirmDialog
        open={confirming}
        title={
          values.when === 'later' ? t('campaigns.confirm.scheduleTitle') : t('campaigns.confirm.sendTitle')
        }
        confirmLabel={
          values.when === 'later' ? t('campaigns.compose.schedule') : t('campaigns.compose.sendNow')
        }
        busy={submit.busy}
        onConfirm={() => void send()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {recipients === null
            ? t('campaigns.confirm.bodyUnknown')
            : t('campaigns.confirm.body', { count: recipients })}
        </p>
        <p className="muted">{t('campaigns.confirm.final')}</p>
      </ConfirmDialog>
    </form>
  );
}

function AudienceFields({
  form,
  onChange,
  errors,
}: {
  form: AudienceForm;
  onChange: (form: AudienceForm) => void;
  errors: AudienceErrors;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof AudienceForm>(key: K, value: AudienceForm[K]) =>
    onChange({ ...form, [key]: value });
  const error = (field: keyof AudienceErrors) =>
    errors[field] ? t(`campaigns.audience.errors.${errors[field]}`) : undefined;
  return (
    <div className="stack">
      <Select
        label={t('campaigns.audience.window')}
        value={form.window}
        onChange={(event) => set('window', event.target.value)}
        options={[
          { value: '', label: t('campaigns.audience.anyConsultation') },
          ...WINDOW_MONTHS.map((months) => ({
            value: String(months),
            label: t('campaigns.audience.withinMonths', { count: months }),
          })),
        ]}
      />
      <div className="campaign-compose__age-group">
        <div className="campaign-compose__ages">
          {(['minAge', 'maxAge'] as const).map((field) => (
            <TextField
              key={field}
              label={t(`campaigns.audience.${field}`)}
              inputMode="numeric"
              value={form[field]}
              optionalText={t('common.optional')}
              onChange={(event) => set(field, event.target.value)}
              error={error(field)}
            />
          ))}
        </div>
        <p className="field__hint">{t('campaigns.audience.ageHint')}</p>
      </div>
      <Select
        label={t('campaigns.audience.sex')}
        value={form.sex}
        onChange={(event) => set('sex', event.target.value as AudienceForm['sex'])}
        options={[
          { value: '', label: t('campaigns.audience.sexAny') },
          { value: 'female', label: t('campaigns.audience.sexFemale') },
          { value: 'male', label: t('campaigns.audience.sexMale') },
        ]}
      />
      <TextField
        label={t('campaigns.audience.tags')}
        hint={t('campaigns.audience.tagsHint')}
        optionalText={t('common.optional')}
        value={form.tags}
        onChange={(event) => set('tags', event.target.value)}
        error={error('tags')}
      />
      <Checkbox
        label={t('campaigns.audience.relatives')}
        hint={t('campaigns.audience.relativesHint')}
        checked={form.includeRelatives}
        onChange={(event) => set('includeRelatives', event.target.checked)}
      />
    </div>
  );
}

/** The live count, announced politely to screen readers when it settles. */
function RecipientCount({
  count,
  invalid,
  invalidText,
}: {
  count: LiveCount;
  invalid: boolean;
  invalidText: string;
}) {
  const { t } = useTranslation();
  const shown = count.status === 'ready' ? count.count : count.status === 'counting' ? count.last : null;
  return (
    <div className="campaign-count card">
      <h2 className="card__title">{t('campaigns.count.title')}</h2>
      <div aria-live="polite" aria-atomic="true" className="stack-tight">
        {invalid ? (
          <p className="muted">{invalidText}</p>
        ) : count.status === 'failed' ? (
          <p className="field__error">{errorText(t, count.error)}</p>
        ) : shown ? (
          <>
            <p className="campaign-count__number" data-testid="recipient-count">
              {t('campaigns.count.recipients', { count: shown.recipients })}
            </p>
            <p className="muted">
              {shown.optedOut === 0
                ? t('campaigns.count.noneOptedOut')
                : t('campaigns.count.optedOut', { count: shown.optedOut })}
            </p>
          </>
        ) : null}
      </div>
      {count.status === 'counting' ? (
        <p className="campaign-count__busy muted">
          <Spinner label={t('campaigns.count.updating')} />
        </p>
      ) : null}
    </div>
  );
}
