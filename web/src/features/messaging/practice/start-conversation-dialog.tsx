import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Membership } from '../../../../../src/contracts/accounts';
import type { Member } from '../../../../../src/contracts/practices';
import { Button } from '../../../components/button';
import { Toggle } from '../../../components/checkbox';
import { Dialog } from '../../../components/dialog';
import { FormError } from '../../../components/form-error';
import { Select } from '../../../components/select';
import { TextField } from '../../../components/text-field';
import { issuesByField } from '../../../i18n/errors';
import { formatNumericDate } from '../../../lib/time';
import { useResource } from '../../../lib/use-resource';
import { useSubmit } from '../../../lib/use-submit';
import { type Category, messagingApi } from '../api';
import { AttachmentField, useUploads } from '../compose/attachments';
import { MESSAGE_MAX_CHARS, SUBJECT_MAX_CHARS } from '../constants';
import { CATEGORIES, categoryLabel, newClientMessageId } from '../format';
import { announce } from '../live';

type PatientChoice = { patientProfileId: string; name: string; practitionerId: string };

type StartConversationDialogProps = {
  open: boolean;
  onClose: () => void;
  membership: Membership;
  members: readonly Member[];
  /** The patient of the conversation being read; without one, the dialog searches the practice's patients. */
  patient?: PatientChoice;
  meId: string;
};

/** "Write to this patient": the practice starts a conversation, and decides whether the patient may reply. */
export function StartConversationDialog(props: StartConversationDialogProps) {
  // A fresh form for each patient.
  return <StartConversationForm key={props.patient?.patientProfileId ?? 'search'} {...props} />;
}

function StartConversationForm({
  open,
  onClose,
  membership,
  members,
  patient: given,
  meId,
}: StartConversationDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const practitioners = members.filter((member) => member.role === 'practitioner');
  // Assistants write administrative messages only (the server refuses anything else).
  const categories: readonly Category[] =
    membership.role === 'practitioner' ? CATEGORIES : ['administrative'];
  const [chosen, setChosen] = useState<PatientChoice | null>(null);
  const patient = given ?? chosen;
  const [practitionerChoice, setPractitionerId] = useState('');
  // Members may still be loading when the dialog is created: the default is worked out at each render.
  const practitionerId =
    practitionerChoice ||
    given?.practitionerId ||
    (practitioners.some((member) => member.userId === meId) ? meId : (practitioners[0]?.userId ?? ''));
  const [category, setCategory] = useState<Category>(
    categories.includes('health_question') ? 'health_question' : 'administrative',
  );
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [mayReply, setMayReply] = useState(true);
  const [errors, setErrors] = useState<{ subject?: string; body?: string; patient?: string }>({});
  const clientId = useRef(newClientMessageId());
  const formRef = useRef<HTMLFormElement>(null);
  const uploads = useUploads();
  const { busy, error, run, setError } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!patient) {
      setErrors({ patient: t('inbox.write.choosePatient') });
      return;
    }
    const found = {
      subject: subject.trim() ? undefined : t('messaging.new.required'),
      body: body.trim() ? undefined : t('messaging.new.required'),
    };
    setErrors(found);
    if (found.subject || found.body) {
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    if (uploads.uploading) {
      setErrors({ body: t('messaging.attachments.wait') });
      return;
    }
    const outcome = await run(() =>
      messagingApi.startByPractice(membership.practiceId, {
        practitionerId,
        patientProfileId: (patient as PatientChoice).patientProfileId,
        category,
        subject: subject.trim(),
        clientMessageId: clientId.current,
        body: body.trim(),
        attachmentIds: uploads.ready.map((attachment) => attachment.id),
        patientMayReply: mayReply,
      }),
    );
    if (outcome.ok) {
      clientId.current = newClientMessageId();
      setSubject('');
      setBody('');
      uploads.reset();
      announce({ type: 'changed', conversationId: outcome.value.conversation.id });
      onClose();
      navigate(`/practices/${membership.practiceId}/inbox/${outcome.value.conversation.id}`);
    } else {
      const byField = issuesByField(t, outcome.error);
      setErrors({ subject: byField.subject, body: byField.body });
    }
  }

  return (
    <Dialog
      open={open}
      title={given ? t('inbox.write.title', { name: given.name }) : t('inbox.write.titleSearch')}
      onClose={() => {
        if (!busy) {
          setError(null);
          onClose();
        }
      }}
    >
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        {given ? null : (
          <PatientSearch
            practiceId={membership.practiceId}
            chosen={chosen}
            error={errors.patient}
            onChoose={(choice) => {
              setChosen(choice);
              setErrors((previous) => ({ ...previous, patient: undefined }));
              if (choice && practitioners.some((member) => member.userId === choice.practitionerId))
                setPractitionerId(choice.practitionerId);
            }}
          />
        )}
        {practitioners.length > 1 ? (
          <Select
            label={t('inbox.write.practitioner')}
            hint={t('inbox.write.practitionerHint')}
            value={practitionerId}
            onChange={(event) => setPractitionerId(event.target.value)}
            options={practitioners.map((member) => ({
              value: member.userId,
              label: `${member.firstName} ${member.lastName}`,
            }))}
          />
        ) : null}
        <Select
          label={t('inbox.write.category')}
          value={category}
          onChange={(event) => setCategory(event.target.value as Category)}
          options={categories.map((value) => ({ value, label: categoryLabel(t, value) }))}
          hint={membership.role === 'practitioner' ? undefined : t('inbox.write.assistantHint')}
        />
        <TextField
          label={t('messaging.new.subject')}
          value={subject}
          maxLength={SUBJECT_MAX_CHARS}
          onChange={(event) => {
            setSubject(event.target.value);
            setErrors((previous) => ({ ...previous, subject: undefined }));
          }}
          error={errors.subject}
          autoComplete="off"
        />
        <div className="field">
          <label className="field__label" htmlFor={`${id}-body`}>
            {t('inbox.write.body')}
          </label>
          <textarea
            id={`${id}-body`}
            className="input msg-textarea"
            rows={6}
            maxLength={MESSAGE_MAX_CHARS}
            value={body}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? `${id}-body-error` : undefined}
            onChange={(event) => {
              setBody(event.target.value);
              setErrors((previous) => ({ ...previous, body: undefined }));
            }}
          />
          {errors.body ? (
            <div id={`${id}-body-error`} className="field__error">
              {errors.body}
            </div>
          ) : null}
        </div>
        <AttachmentField
          uploads={uploads}
          label={t('messaging.attachments.add')}
          hint={t('messaging.attachments.hint')}
        />
        <Toggle
          label={t('inbox.write.mayReply')}
          hint={mayReply ? t('inbox.write.mayReplyOn') : t('inbox.write.mayReplyOff')}
          checked={mayReply}
          onChange={(event) => setMayReply(event.target.checked)}
        />
        <div className="dialog__actions">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" busy={busy}>
            {t('messaging.compose.send')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Finds a linked patient of the practice (the list needs the "patients" right). */
function PatientSearch({
  practiceId,
  chosen,
  error,
  onChoose,
}: {
  practiceId: string;
  chosen: PatientChoice | null;
  error: string | undefined;
  onChoose: (choice: PatientChoice | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);
  const { resource } = useResource(
    () => (query.length >= 2 ? messagingApi.practicePatients(practiceId, query) : Promise.resolve(null)),
    `patients-${practiceId}-${query}`,
  );
  const linked =
    resource.status === 'ready' && resource.data
      ? resource.data.patients.filter((patient) => patient.patientProfileId !== null)
      : [];
  return (
    <fieldset className="fieldset field" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="fieldset__legend">{t('inbox.write.patient')}</legend>
      <TextField
        label={t('inbox.write.search')}
        hint={t('inbox.write.searchHint')}
        value={q}
        onChange={(event) => setQ(event.target.value)}
        autoComplete="off"
        type="search"
      />
      <div aria-live="polite">
        {query.length >= 2 && resource.status === 'ready' && linked.length === 0 ? (
          <p className="small muted">{t('inbox.write.noPatient')}</p>
        ) : null}
        {resource.status === 'failed' ? <p className="small muted">{t('inbox.write.searchFailed')}</p> : null}
      </div>
      {linked.length > 0 ? (
        <div className="msg-choices msg-choices--compact">
          {linked.slice(0, 8).map((patient) => {
            const name = `${patient.firstName} ${patient.lastName}`;
            return (
              <label key={patient.id} className="msg-choice">
                <input
                  type="radio"
                  name={`${id}-patient`}
                  checked={chosen?.patientProfileId === patient.patientProfileId}
                  onChange={() =>
                    onChoose({
                      patientProfileId: patient.patientProfileId as string,
                      name,
                      practitionerId: patient.practitioners[0]?.id ?? '',
                    })
                  }
                />
                <span className="msg-choice__text">
                  <strong>{name}</strong>
                  <span className="small muted">{formatNumericDate(patient.birthDate, i18n.language)}</span>
                </span>
              </label>
            );
          })}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="field__error">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
