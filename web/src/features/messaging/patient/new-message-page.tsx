import { type FormEvent, type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { MeResponse } from '../../../../../src/contracts/accounts';
import type { MyPractitioner, Relative } from '../../../../../src/contracts/care';
import { Alert } from '../../../components/alert';
import { Button, ButtonLink } from '../../../components/button';
import { Card } from '../../../components/card';
import {
  type DateParts,
  DatePartsField,
  datePartsToIso,
  EMPTY_DATE,
} from '../../../components/date-parts-field';
import { EmergencyAlert } from '../../../components/emergency-alert';
import { EmergencyNotice } from '../../../components/emergency-notice';
import { FormError } from '../../../components/form-error';
import { LoadError } from '../../../components/load-error';
import { PageHeader } from '../../../components/page-header';
import { PageLoading, Spinner } from '../../../components/spinner';
import { TextField } from '../../../components/text-field';
import { issuesByField } from '../../../i18n/errors';
import { formatCalendarDate } from '../../../lib/format';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../session/session';
import { TermsGate } from '../../terms/terms-gate';
import { type Category, type Eligibility, messagingApi } from '../api';
import { AttachmentField, useUploads } from '../compose/attachments';
import { emergencyRefusal, flagForRefusal, isSendShortcut } from '../compose/red-flag';
import { useSafety } from '../compose/use-safety';
import { MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS } from '../constants';
import { categoryLabel, consultationPath, newClientMessageId } from '../format';
import { isRetryable } from '../outbox';
import '../messaging.css';

type Person = { id: string; label: string };
type Choice = { practitionerId: string; practiceId: string; name: string; specialty: string; where: string };

/** One choice per person who consulted; "Myself" first, then relatives by name. */
export function peopleOf(
  t: (key: string, options?: Record<string, unknown>) => string,
  rows: readonly MyPractitioner[],
  profiles: readonly Relative[],
): Person[] {
  const byId = new Map(profiles.map((profile) => [profile.id, profile]));
  const seen = new Map<string, Person & { self: boolean }>();
  for (const row of rows) {
    if (seen.has(row.patientProfileId)) continue;
    const profile = byId.get(row.patientProfileId);
    const self = profile ? profile.isYou : false;
    const label = self
      ? t('messaging.new.myself', { name: row.patientName })
      : profile
        ? t('messaging.new.relative', {
            name: row.patientName,
            relationship: t(`relatives.relationship.${profile.relationship}`),
          })
        : row.patientName;
    seen.set(row.patientProfileId, { id: row.patientProfileId, label, self });
  }
  return [...seen.values()]
    .sort((a, b) => Number(b.self) - Number(a.self) || a.label.localeCompare(b.label))
    .map(({ id, label }) => ({ id, label }));
}

/** The practitioners this person consulted, each once per practice. */
export function practitionersFor(rows: readonly MyPractitioner[], profileId: string): Choice[] {
  const choices = new Map<string, Choice>();
  for (const row of rows) {
    if (row.patientProfileId !== profileId) continue;
    const key = `${row.practitionerId}/${row.practiceId}`;
    if (!choices.has(key))
      choices.set(key, {
        practitionerId: row.practitionerId,
        practiceId: row.practiceId,
        name: `${row.firstName} ${row.lastName}`,
        specialty: row.specialty,
        where: `${row.practiceName} · ${row.city}`,
      });
  }
  return [...choices.values()];
}

/** "New message": who it is about → which practitioner → which kind of request → the message. */
export function NewMessagePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { resource, reload } = useResource(async () => {
    const [practitioners, profiles] = await Promise.all([
      messagingApi.myPractitioners(),
      messagingApi.profiles().catch(() => ({ profiles: [] as Relative[] })),
    ]);
    return { rows: practitioners.practitioners, profiles: profiles.profiles };
  }, 'new-message');
  if (!me) return null;
  return (
    <div className="stack-lg msg-page msg-new">
      <p className="back-link msg-back">
        <Link to="/messages">{t('messaging.list.back')}</Link>
      </p>
      <PageHeader
        title={t('messaging.new.title')}
        description={t('messaging.new.description')}
        actions={
          <ButtonLink to="/book" variant="secondary">
            {t('messaging.compose.ratherConsultation')}
          </ButtonLink>
        }
      />
      <EmergencyNotice country={me.user.country} />
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        resource.data.rows.length === 0 ? (
          <div className="msg-empty">
            <p>{t('messaging.new.noPractitioner')}</p>
            <ButtonLink to="/book" variant="secondary">
              {t('messaging.new.book')}
            </ButtonLink>
          </div>
        ) : (
          <TermsGate kind="patient">
            <Chooser me={me} rows={resource.data.rows} profiles={resource.data.profiles} />
          </TermsGate>
        )
      ) : null}
    </div>
  );
}

function Chooser({
  me,
  rows,
  profiles,
}: {
  me: MeResponse;
  rows: readonly MyPractitioner[];
  profiles: readonly Relative[];
}) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const people = useMemo(() => peopleOf(t, rows, profiles), [t, rows, profiles]);
  // The choices start from the address ("Write" links) but live in the page: changing them must not
  // count as a navigation (which would move focus back to the title).
  const [choice, setChoice] = useState({
    for: params.get('for') ?? '',
    practitionerId: params.get('practitionerId') ?? '',
    practiceId: params.get('practiceId') ?? '',
  });
  const person =
    people.find((candidate) => candidate.id === choice.for) ?? (people.length === 1 ? people[0] : undefined);
  const choices = person ? practitionersFor(rows, person.id) : [];
  const practitioner =
    choices.find(
      (candidate) =>
        candidate.practitionerId === choice.practitionerId && candidate.practiceId === choice.practiceId,
    ) ?? (choices.length === 1 ? choices[0] : undefined);

  function choose(changes: Partial<typeof choice>) {
    setChoice((previous) => ({ ...previous, ...changes }));
  }

  return (
    <>
      <Card title={t('messaging.new.step1')} headingLevel={2}>
        {people.length === 1 && person ? (
          <p className="msg-fixed-choice">{person.label}</p>
        ) : (
          <fieldset className="fieldset">
            <legend className="visually-hidden">{t('messaging.new.step1')}</legend>
            <div className="msg-choices">
              {people.map((candidate) => (
                <label key={candidate.id} className="msg-choice">
                  <input
                    type="radio"
                    name="person"
                    value={candidate.id}
                    checked={person?.id === candidate.id}
                    onChange={() => choose({ for: candidate.id, practitionerId: '', practiceId: '' })}
                  />
                  <span>{candidate.label}</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </Card>
      {person ? (
        <Card title={t('messaging.new.step2')} headingLevel={2}>
          {choices.length === 1 && practitioner ? (
            <p className="msg-fixed-choice">
              <strong>{practitioner.name}</strong>
              <span className="muted">
                {' '}
                — {practitioner.specialty}, {practitioner.where}
              </span>
            </p>
          ) : (
            <fieldset className="fieldset">
              <legend className="visually-hidden">{t('messaging.new.step2')}</legend>
              <div className="msg-choices">
                {choices.map((choice) => (
                  <label key={`${choice.practitionerId}/${choice.practiceId}`} className="msg-choice">
                    <input
                      type="radio"
                      name="practitioner"
                      checked={practitioner === choice}
                      onChange={() =>
                        choose({
                          for: person.id,
                          practitionerId: choice.practitionerId,
                          practiceId: choice.practiceId,
                        })
                      }
                    />
                    <span className="msg-choice__text">
                      <strong>{choice.name}</strong>
                      <span className="small muted">
                        {choice.specialty} · {choice.where}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
        </Card>
      ) : null}
      {person && practitioner ? (
        <EligibleForm
          key={`${person.id}/${practitioner.practitionerId}/${practitioner.practiceId}`}
          me={me}
          profileId={person.id}
          practitioner={practitioner}
          initialCategory={params.get('category')}
        />
      ) : null}
    </>
  );
}

function EligibleForm({
  me,
  profileId,
  practitioner,
  initialCategory,
}: {
  me: MeResponse;
  profileId: string;
  practitioner: Choice;
  initialCategory: string | null;
}) {
  const { t, i18n } = useTranslation();
  const { resource, reload } = useResource(
    () =>
      messagingApi.eligibility({
        practitionerId: practitioner.practitionerId,
        practiceId: practitioner.practiceId,
        patientProfileId: profileId,
      }),
    `${profileId}/${practitioner.practitionerId}/${practitioner.practiceId}`,
  );
  const consultation = consultationPath(practitioner, profileId);
  if (resource.status === 'loading') return <Spinner label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  const eligibility = resource.data;
  if (!eligibility.eligible || eligibility.categories.length === 0) {
    const reason = eligibility.reason ?? 'MISSIVE_CATEGORY_NOT_OFFERED';
    return (
      <Alert tone="warning" title={t('messaging.new.notPossibleTitle', { name: practitioner.name })}>
        <p>
          {t(`messaging.refusals.${reason}`, {
            defaultValue: t(`errors.${reason}`, { defaultValue: t('errors.generic') }),
          })}
        </p>
        {eligibility.bookingPath ? (
          <ButtonLink to={consultation} small>
            {t('messaging.new.bookInstead')}
          </ButtonLink>
        ) : (
          <p>
            <Link to={consultation}>{t('messaging.compose.ratherConsultation')}</Link>
          </p>
        )}
      </Alert>
    );
  }
  return (
    <>
      {eligibility.absence ? (
        <Alert tone="info" title={t('messaging.new.absenceTitle', { name: practitioner.name })}>
          <p>
            {t('messaging.new.absenceUntil', {
              date: formatCalendarDate(eligibility.absence.until, i18n.language),
            })}
          </p>
          {eligibility.absence.message ? <p className="msg__body">{eligibility.absence.message}</p> : null}
          {eligibility.absence.coveringPractitionerName ? (
            <p>{t('messaging.autoReply.covering', { name: eligibility.absence.coveringPractitionerName })}</p>
          ) : null}
        </Alert>
      ) : null}
      <ComposeForm
        me={me}
        profileId={profileId}
        practitioner={practitioner}
        eligibility={eligibility}
        consultation={consultation}
        initialCategory={initialCategory}
      />
    </>
  );
}

type Fields = {
  subject: string;
  body: string;
  medication: string;
  dosage: string;
  takenFor: string;
};
const EMPTY: Fields = {
  subject: '',
  body: '',
  medication: '',
  dosage: '',
  takenFor: '',
};
type FieldName = keyof Fields | 'category' | 'lastPrescriptionOn';

function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function ComposeForm({
  me,
  profileId,
  practitioner,
  eligibility,
  consultation,
  initialCategory,
}: {
  me: MeResponse;
  profileId: string;
  practitioner: Choice;
  eligibility: Eligibility;
  consultation: string;
  initialCategory: string | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const offered = eligibility.categories;
  const [wanted, setWanted] = useState(initialCategory);
  const category = (
    offered.find((entry) => entry.category === wanted) ?? (offered.length === 1 ? offered[0] : undefined)
  )?.category;
  const responseDays = offered.find((entry) => entry.category === category)?.responseDays;
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [lastPrescription, setLastPrescription] = useState<DateParts>(EMPTY_DATE);
  const lastPrescriptionOn = datePartsToIso(lastPrescription);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState<null | { acknowledged: boolean }>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLHeadingElement>(null);
  const clientId = useRef(newClientMessageId());
  const uploads = useUploads();
  const photo = useUploads(1);
  const renewal = category === 'renewal';
  // The alert is read on this screen: its labels (and the first language the check reads) are the
  // screen's, which may differ from the account's when a language was chosen on this device.
  const { locale } = useSession();
  const safetyContext = useMemo(() => ({ lang: locale, country: me.user.country }), [locale, me]);
  const draftText = renewal
    ? [fields.medication, fields.body].filter(Boolean).join('\n')
    : [fields.subject, fields.body].filter(Boolean).join('\n');
  const redFlag = useSafety(draftText, safetyContext);

  function set<K extends keyof Fields>(key: K, value: string) {
    setFields((previous) => ({ ...previous, [key]: value }));
    if (errors[key]) setErrors((previous) => ({ ...previous, [key]: undefined }));
  }

  function validate(): Partial<Record<FieldName, string>> {
    const found: Partial<Record<FieldName, string>> = {};
    const required = t('messaging.new.required');
    if (!category) found.category = t('messaging.new.chooseCategory');
    if (renewal) {
      if (!fields.medication.trim()) found.medication = required;
      if (!fields.dosage.trim()) found.dosage = required;
      if (!fields.takenFor.trim()) found.takenFor = required;
      if (!lastPrescriptionOn) found.lastPrescriptionOn = t('messaging.new.dateInvalid');
      else if (lastPrescriptionOn > todayIso()) found.lastPrescriptionOn = t('messaging.new.dateFuture');
    } else {
      if (!fields.subject.trim()) found.subject = required;
      if (!fields.body.trim()) found.body = required;
    }
    return found;
  }

  function focusFirstError() {
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );
  }

  async function submit(notEmergency = false) {
    if (busy) return;
    setError(null);
    const found = validate();
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      focusFirstError();
      return;
    }
    if (uploads.uploading || photo.uploading) {
      setError(null);
      setErrors({ body: t('messaging.attachments.wait') });
      return;
    }
    if (!category) return;
    setBusy(true);
    try {
      let acknowledged = notEmergency || waiting?.acknowledged === true;
      if (!acknowledged) {
        const flag = await redFlag.check(draftText).catch(() => null);
        if (flag && !redFlag.isAcknowledged(flag)) {
          redFlag.raise(flag);
          requestAnimationFrame(() => alertRef.current?.focus());
          return;
        }
        acknowledged = flag !== null;
      }
      if (notEmergency) redFlag.acknowledge(redFlag.alert);
      if (typeof navigator !== 'undefined' && navigator.onLine === false) {
        setWaiting({ acknowledged });
        return;
      }
      const medication = fields.medication.trim();
      const result = await messagingApi.start({
        practitionerId: practitioner.practitionerId,
        practiceId: practitioner.practiceId,
        patientProfileId: profileId,
        category,
        subject: renewal
          ? t('messaging.renewal.subject', { medication }).slice(0, SUBJECT_MAX_CHARS)
          : fields.subject.trim(),
        clientMessageId: clientId.current,
        body: renewal
          ? fields.body.trim() || t('messaging.renewal.defaultBody', { medication })
          : fields.body.trim(),
        attachmentIds: renewal ? [] : uploads.ready.map((attachment) => attachment.id),
        ...(renewal
          ? {
              renewal: {
                medication,
                dosage: fields.dosage.trim(),
                takenFor: fields.takenFor.trim(),
                lastPrescriptionOn: lastPrescriptionOn ?? '',
                ...(photo.ready[0] ? { photoAttachmentId: photo.ready[0].id } : {}),
              },
            }
          : {}),
        emergencyAcknowledged: acknowledged,
      });
      setWaiting(null);
      navigate(`/messages/${result.conversation.id}`, { state: { sent: true, responseDays } });
    } catch (caught) {
      if (isRetryable(caught)) {
        setWaiting({ acknowledged: notEmergency || redFlag.acknowledged });
        return;
      }
      setWaiting(null);
      const refusal = emergencyRefusal(caught);
      if (refusal) {
        redFlag.raise(await flagForRefusal(refusal, redFlag.check, draftText));
        requestAnimationFrame(() => alertRef.current?.focus());
        return;
      }
      const byField = issuesByField(t, caught);
      const mapped: Partial<Record<FieldName, string>> = {
        subject: byField.subject,
        body: byField.body,
        medication: byField['renewal.medication'],
        dosage: byField['renewal.dosage'],
        takenFor: byField['renewal.takenFor'],
        lastPrescriptionOn: byField['renewal.lastPrescriptionOn'],
      };
      if (Object.values(mapped).some(Boolean)) {
        setErrors(mapped);
        focusFirstError();
      }
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  // Back online: the kept message goes with the same client id, so it can never be sent twice.
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    if (!waiting) return;
    const retry = () => void submitRef.current(waiting.acknowledged);
    window.addEventListener('online', retry);
    const timer = setInterval(() => {
      if (navigator.onLine !== false) retry();
    }, 15_000);
    return () => {
      window.removeEventListener('online', retry);
      clearInterval(timer);
    };
  }, [waiting]);

  function chooseCategory(value: Category) {
    setWanted(value);
    setErrors((previous) => ({ ...previous, category: undefined }));
  }

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (isSendShortcut(event)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Card title={t('messaging.new.step3')} headingLevel={2}>
      <form
        ref={formRef}
        className="form"
        noValidate
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          void submit();
        }}
      >
        <fieldset
          className="fieldset"
          aria-describedby={errors.category ? `${id}-category-error` : undefined}
        >
          <legend className="fieldset__legend">{t('messaging.new.categoryLegend')}</legend>
          <div className="msg-choices">
            {offered.map((entry) => (
              <label key={entry.category} className="msg-choice">
                <input
                  type="radio"
                  name="category"
                  value={entry.category}
                  checked={category === entry.category}
                  aria-invalid={errors.category ? true : undefined}
                  onChange={() => chooseCategory(entry.category)}
                />
                <span className="msg-choice__text">
                  <strong>{categoryLabel(t, entry.category)}</strong>
                  <span className="small">{t(`messaging.categories.${entry.category}.hint`)}</span>
                  <span className="small msg-choice__delay">
                    {t('messaging.new.responseTime', { count: entry.responseDays })}
                  </span>
                </span>
              </label>
            ))}
          </div>
          {errors.category ? (
            <div id={`${id}-category-error`} className="field__error">
              {errors.category}
            </div>
          ) : null}
        </fieldset>

        {category ? (
          <>
            {renewal ? (
              <Alert tone="info" title={t('messaging.renewal.formTitle')}>
                <p>{t('messaging.renewal.notDelivered')}</p>
              </Alert>
            ) : null}
            {renewal ? (
              <div className="form msg-renewal-form">
                <TextField
                  label={t('messaging.renewal.medication')}
                  hint={t('messaging.renewal.medicationHint')}
                  value={fields.medication}
                  maxLength={200}
                  onChange={(event) => set('medication', event.target.value)}
                  error={errors.medication}
                  autoComplete="off"
                />
                <TextField
                  label={t('messaging.renewal.dosage')}
                  hint={t('messaging.renewal.dosageHint')}
                  value={fields.dosage}
                  maxLength={200}
                  onChange={(event) => set('dosage', event.target.value)}
                  error={errors.dosage}
                  autoComplete="off"
                />
                <TextField
                  label={t('messaging.renewal.takenFor')}
                  hint={t('messaging.renewal.takenForHint')}
                  value={fields.takenFor}
                  maxLength={100}
                  onChange={(event) => set('takenFor', event.target.value)}
                  error={errors.takenFor}
                  autoComplete="off"
                  className="msg-narrow"
                />
                <DatePartsField
                  legend={t('messaging.renewal.lastPrescriptionOn')}
                  hint={t('messaging.renewal.lastPrescriptionHint')}
                  value={lastPrescription}
                  onChange={(value) => {
                    setLastPrescription(value);
                    if (errors.lastPrescriptionOn)
                      setErrors((previous) => ({ ...previous, lastPrescriptionOn: undefined }));
                  }}
                  error={errors.lastPrescriptionOn}
                />

                <AttachmentField
                  uploads={photo}
                  multiple={false}
                  label={t('messaging.renewal.addPhoto')}
                  hint={t('messaging.renewal.photoHint')}
                />
              </div>
            ) : (
              <TextField
                label={t('messaging.new.subject')}
                value={fields.subject}
                maxLength={SUBJECT_MAX_CHARS}
                onChange={(event) => set('subject', event.target.value)}
                error={errors.subject}
                autoComplete="off"
              />
            )}
            <div className="field">
              <label className="field__label" htmlFor={`${id}-body`}>
                {renewal ? t('messaging.renewal.note') : t('messaging.new.body')}
                {renewal ? <span className="field__optional"> ({t('common.optional')})</span> : null}
              </label>
              <textarea
                id={`${id}-body`}
                className="input msg-textarea"
                rows={renewal ? 3 : 7}
                maxLength={MESSAGE_MAX_CHARS}
                value={fields.body}
                aria-invalid={errors.body ? true : undefined}
                aria-describedby={`${id}-body-hint${errors.body ? ` ${id}-body-error` : ''}`}
                onChange={(event) => set('body', event.target.value)}
                onKeyDown={onKeyDown}
              />
              <div id={`${id}-body-hint`} className="field__hint">
                {renewal ? t('messaging.renewal.noteHint') : t('messaging.new.bodyHint')}{' '}
                {t('messaging.compose.shortcut')}
              </div>
              {errors.body ? (
                <div id={`${id}-body-error`} className="field__error">
                  {errors.body}
                </div>
              ) : null}
            </div>
            {redFlag.alert ? (
              <EmergencyAlert
                kind={redFlag.alert.kind}
                numbers={redFlag.alert.numbers}
                country={me.user.country}
                headingRef={alertRef}
                busy={busy}
                onNotEmergency={() => void submit(true)}
              />
            ) : null}
            {renewal ? null : (
              <AttachmentField
                uploads={uploads}
                label={t('messaging.attachments.add')}
                hint={t('messaging.attachments.hint')}
              />
            )}
          </>
        ) : null}

        <FormError error={error} />
        <div aria-live="polite">
          {waiting ? (
            <Alert tone="warning" title={t('messaging.new.offlineTitle')}>
              <p>{t('messaging.new.offline')}</p>
            </Alert>
          ) : null}
        </div>
        {category && responseDays !== undefined ? (
          <p className="msg-expect">
            {t('messaging.new.expected', { count: responseDays, name: practitioner.name })}
          </p>
        ) : null}
        <div className="form__actions">
          <Button type="submit" busy={busy} disabled={!category}>
            {renewal ? t('messaging.renewal.send') : t('messaging.compose.send')}
          </Button>
          <Link to={consultation}>{t('messaging.compose.ratherConsultation')}</Link>
        </div>
      </form>
    </Card>
  );
}
