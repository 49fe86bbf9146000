import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import type { Membership } from '../../../../../src/contracts/accounts';
import type { Member } from '../../../../../src/contracts/practices';
import { practicesApi } from '../../../api/endpoints';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Toggle } from '../../../components/checkbox';
import { ConfirmDialog } from '../../../components/dialog';
import { FormError } from '../../../components/form-error';
import { LoadError } from '../../../components/load-error';
import { PageHeader } from '../../../components/page-header';
import { Select } from '../../../components/select';
import { PageLoading, Spinner } from '../../../components/spinner';
import { TextField } from '../../../components/text-field';
import { issuesByField } from '../../../i18n/errors';
import { useResource } from '../../../lib/use-resource';
import { useSubmit } from '../../../lib/use-submit';
import { useSession } from '../../../session/session';
import { TermsGate } from '../../terms/terms-gate';
import { type Category, type MessagingSettingsBody, messagingApi } from '../api';
import { ABSENCE_MESSAGE_MAX_CHARS } from '../constants';
import { CATEGORIES, categoryLabel } from '../format';
import { TemplatesCard } from './templates-card';
import '../messaging.css';

const WINDOWS = [3, 6, 12, 24, 36, 60] as const;

/** Who may open this page's practitioner settings: the practitioner, and the practice's administrators. */
export function editablePractitioners(
  membership: Membership,
  meId: string,
  members: readonly Member[],
): Member[] {
  return members
    .filter((member) => member.role === 'practitioner')
    .filter((member) => membership.isAdmin || member.userId === meId)
    .sort(
      (a, b) => Number(b.userId === meId) - Number(a.userId === meId) || a.lastName.localeCompare(b.lastName),
    );
}

/** Messaging settings of a practitioner (their own, or any of the practice's for its administrators) and reply templates. */
export function MessagingSettingsPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { me } = useSession();
  const location = useLocation();
  const membership = me?.memberships.find((candidate) => candidate.practiceId === practiceId);
  const members = useResource(() => practicesApi.members(practiceId), `members-${practiceId}`);
  const [chosen, setChosen] = useState('');
  const templatesRef = useRef<HTMLDivElement>(null);
  const loaded = members.resource.status === 'ready';

  useEffect(() => {
    if (loaded && location.hash === '#templates')
      requestAnimationFrame(() => templatesRef.current?.scrollIntoView({ block: 'start' }));
  }, [loaded, location.hash]);

  if (!me || !membership)
    return (
      <div className="stack-lg">
        <PageHeader title={t('messaging.settings.title')} />
        <Alert tone="warning">{t('messaging.settings.noAccess')}</Alert>
      </div>
    );
  if (members.resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (members.resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('messaging.settings.title')} />
        <LoadError error={members.resource.error} onRetry={members.reload} />
      </div>
    );
  const editable = editablePractitioners(membership, me.user.id, members.resource.data.members);
  const practitioner = editable.find((member) => member.userId === chosen) ?? editable[0];
  const hasTemplates = membership.rights.includes('messaging');
  const colleagues = members.resource.data.members.filter(
    (member) => member.role === 'practitioner' && member.userId !== practitioner?.userId,
  );

  return (
    <div className="stack-lg msg-page msg-settings">
      <PageHeader
        title={practitioner ? t('messaging.settings.title') : t('messaging.templates.title')}
        description={practitioner ? t('messaging.settings.description') : undefined}
      />
      {/* Practitioners accept the practitioner terms before opening messaging (the server checks it too). */}
      {membership.role === 'practitioner' ? (
        <TermsGate kind="practitioner" blocking={false}>
          {null}
        </TermsGate>
      ) : null}
      {editable.length > 1 && practitioner ? (
        <Select
          className="msg-settings__who"
          label={t('messaging.settings.whose')}
          hint={t('messaging.settings.whoseHint')}
          value={practitioner.userId}
          onChange={(event) => setChosen(event.target.value)}
          options={editable.map((member) => ({
            value: member.userId,
            label:
              member.userId === me.user.id
                ? t('inbox.me', { name: `${member.firstName} ${member.lastName}` })
                : `${member.firstName} ${member.lastName}`,
          }))}
        />
      ) : null}
      {practitioner ? (
        <PractitionerSettings
          key={practitioner.userId}
          practiceId={practiceId}
          practitioner={practitioner}
          self={practitioner.userId === me.user.id}
          colleagues={colleagues}
        />
      ) : null}
      {hasTemplates ? (
        <div ref={templatesRef} id="templates" className="msg-anchor">
          <TemplatesCard practiceId={practiceId} isAdmin={membership.isAdmin} />
        </div>
      ) : null}
      {!practitioner && !hasTemplates ? (
        <Alert tone="warning">{t('messaging.settings.noAccess')}</Alert>
      ) : null}
    </div>
  );
}

type Form = {
  windowMonths: string;
  allowRelatives: boolean;
  categories: Record<Category, { enabled: boolean; responseDays: string }>;
  maxOpenConversations: string;
  dailyMessageCap: string;
  autoCloseDays: string;
  repliesWhenClosed: boolean;
  away: boolean;
  absenceFrom: string;
  absenceUntil: string;
  absenceMessage: string;
  covering: string;
};

function toForm(settings: MessagingSettingsBody): Form {
  return {
    windowMonths: settings.windowMonths === null ? 'any' : String(settings.windowMonths),
    allowRelatives: settings.allowRelatives,
    categories: Object.fromEntries(
      CATEGORIES.map((category) => [
        category,
        {
          enabled: settings.categories[category].enabled,
          responseDays: String(settings.categories[category].responseDays),
        },
      ]),
    ) as Form['categories'],
    maxOpenConversations: String(settings.maxOpenConversations),
    dailyMessageCap: String(settings.dailyMessageCap),
    autoCloseDays: String(settings.autoCloseDays),
    repliesWhenClosed: settings.repliesWhenClosed,
    away: settings.absence !== null,
    absenceFrom: settings.absence?.from ?? '',
    absenceUntil: settings.absence?.until ?? '',
    absenceMessage: settings.absence?.message ?? '',
    covering: settings.absence?.coveringPractitionerId ?? '',
  };
}

type Errors = Partial<Record<string, string>>;

function whole(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** The form's values as the API wants them, or the fields in error. */
export function fromForm(
  form: Form,
  open: boolean,
  t: (key: string, options?: Record<string, unknown>) => string,
): { body: MessagingSettingsBody } | { errors: Errors } {
  const errors: Errors = {};
  const range = (key: string, value: string, min: number, max: number) => {
    const number = whole(value, min, max);
    if (number === null) errors[key] = t('messaging.settings.range', { min, max });
    return number ?? min;
  };
  const categories = Object.fromEntries(
    CATEGORIES.map((category) => [
      category,
      {
        enabled: form.categories[category].enabled,
        responseDays: range(
          `categories.${category}.responseDays`,
          form.categories[category].responseDays,
          1,
          30,
        ),
      },
    ]),
  ) as MessagingSettingsBody['categories'];
  const body: MessagingSettingsBody = {
    open,
    repliesWhenClosed: form.repliesWhenClosed,
    windowMonths: form.windowMonths === 'any' ? null : Number(form.windowMonths),
    allowRelatives: form.allowRelatives,
    categories,
    maxOpenConversations: range('maxOpenConversations', form.maxOpenConversations, 1, 20),
    dailyMessageCap: range('dailyMessageCap', form.dailyMessageCap, 1, 100),
    absence: null,
    autoCloseDays: range('autoCloseDays', form.autoCloseDays, 1, 365),
  };
  if (form.away) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.absenceFrom))
      errors['absence.from'] = t('messaging.new.dateInvalid');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(form.absenceUntil))
      errors['absence.until'] = t('messaging.new.dateInvalid');
    else if (form.absenceFrom && form.absenceUntil < form.absenceFrom)
      errors['absence.until'] = t('messaging.settings.absence.untilBeforeFrom');
    body.absence = {
      from: form.absenceFrom,
      until: form.absenceUntil,
      message: form.absenceMessage.trim(),
      coveringPractitionerId: form.covering || null,
    };
  }
  if (!CATEGORIES.some((category) => form.categories[category].enabled))
    errors.categories = t('messaging.settings.categories.noneEnabled');
  return Object.keys(errors).length > 0 ? { errors } : { body };
}

function PractitionerSettings({
  practiceId,
  practitioner,
  self,
  colleagues,
}: {
  practiceId: string;
  practitioner: Member;
  self: boolean;
  colleagues: readonly Member[];
}) {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(
    () => messagingApi.settings(practiceId, practitioner.userId),
    `settings-${practiceId}-${practitioner.userId}`,
  );
  if (resource.status === 'loading') return <Spinner label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  return (
    <SettingsForms
      practiceId={practiceId}
      practitioner={practitioner}
      self={self}
      colleagues={colleagues}
      saved={resource.data}
      onSaved={setData}
    />
  );
}

function SettingsForms({
  practiceId,
  practitioner,
  self,
  colleagues,
  saved,
  onSaved,
}: {
  practiceId: string;
  practitioner: Member;
  self: boolean;
  colleagues: readonly Member[];
  saved: MessagingSettingsBody;
  onSaved: (settings: MessagingSettingsBody) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const name = `${practitioner.firstName} ${practitioner.lastName}`;
  const [form, setForm] = useState<Form>(() => toForm(saved));
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState('');
  const [statusDone, setStatusDone] = useState('');
  const [confirm, setConfirm] = useState<'open' | 'close' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const save = useSubmit();
  const toggle = useSubmit();

  function update(changes: Partial<Form>) {
    setForm((previous) => ({ ...previous, ...changes }));
    setDone('');
  }

  function setCategory(category: Category, changes: Partial<Form['categories'][Category]>) {
    setForm((previous) => ({
      ...previous,
      categories: { ...previous.categories, [category]: { ...previous.categories[category], ...changes } },
    }));
    setDone('');
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone('');
    const result = fromForm(form, saved.open, t);
    if ('errors' in result) {
      setErrors(result.errors);
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    setErrors({});
    const outcome = await save.run(() =>
      messagingApi.saveSettings(practiceId, practitioner.userId, result.body),
    );
    if (outcome.ok) {
      onSaved(outcome.value);
      setDone(t('messaging.settings.saved'));
    } else {
      setErrors(issuesByField(t, outcome.error));
    }
  }

  // Opening or closing applies at once, with the settings as last saved (unsaved edits stay in the form).
  async function setOpen(open: boolean) {
    const outcome = await toggle.run(() =>
      messagingApi.saveSettings(practiceId, practitioner.userId, { ...saved, open }),
    );
    setConfirm(null);
    if (outcome.ok) {
      onSaved(outcome.value);
      setStatusDone(
        open ? t('messaging.settings.status.openedDone') : t('messaging.settings.status.closedDone'),
      );
    }
  }

  const windowOptions = [
    ...WINDOWS.map((months) => ({
      value: String(months),
      label: t('messaging.settings.who.months', { count: months }),
    })),
    ...(form.windowMonths !== 'any' && !WINDOWS.some((months) => String(months) === form.windowMonths)
      ? [
          {
            value: form.windowMonths,
            label: t('messaging.settings.who.months', { count: Number(form.windowMonths) }),
          },
        ]
      : []),
    { value: 'any', label: t('messaging.settings.who.any') },
  ];

  return (
    <>
      <section
        className={`msg-status-card msg-status-card--${saved.open ? 'open' : 'closed'}`}
        aria-labelledby={`${id}-status`}
      >
        <div className="msg-status-card__text">
          <h2 id={`${id}-status`} className="msg-status-card__title">
            {self
              ? t('messaging.settings.status.titleSelf')
              : t('messaging.settings.status.titleOf', { name })}{' '}
            <Badge tone={saved.open ? 'success' : 'neutral'} dot>
              {saved.open ? t('messaging.settings.status.open') : t('messaging.settings.status.closed')}
            </Badge>
          </h2>
          <p>
            {saved.open ? t('messaging.settings.status.openText') : t('messaging.settings.status.closedText')}
          </p>
        </div>
        <FormError error={toggle.error} />
        <div aria-live="polite" className="msg-status-card__done">
          {statusDone ? <p className="small msg-saved">{statusDone}</p> : null}
        </div>
        {saved.open ? (
          <Button variant="danger-outline" onClick={() => setConfirm('close')}>
            {t('messaging.settings.status.close')}
          </Button>
        ) : (
          <Button onClick={() => setConfirm('open')}>
            {self ? t('messaging.settings.status.openSelf') : t('messaging.settings.status.openOf', { name })}
          </Button>
        )}
      </section>
      <ConfirmDialog
        open={confirm === 'open'}
        title={t('messaging.settings.confirmOpen.title')}
        confirmLabel={t('messaging.settings.confirmOpen.confirm')}
        busy={toggle.busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => void setOpen(true)}
      >
        <p>{t('messaging.settings.confirmOpen.intro')}</p>
        <ul>
          <li>
            {saved.windowMonths === null
              ? t('messaging.settings.confirmOpen.whoAny')
              : t('messaging.settings.confirmOpen.who', { count: saved.windowMonths })}
          </li>
          <li>
            {t('messaging.settings.confirmOpen.categories', {
              list: CATEGORIES.filter((category) => saved.categories[category].enabled)
                .map((category) => categoryLabel(t, category).toLowerCase())
                .join(', '),
            })}
          </li>
          <li>
            {t('messaging.settings.confirmOpen.limits', {
              open: saved.maxOpenConversations,
              daily: saved.dailyMessageCap,
            })}
          </li>
          <li>{t('messaging.settings.confirmOpen.safety')}</li>
        </ul>
        <p>{t('messaging.settings.confirmOpen.change')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'close'}
        title={t('messaging.settings.confirmClose.title')}
        confirmLabel={t('messaging.settings.confirmClose.confirm')}
        confirmVariant="danger"
        busy={toggle.busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => void setOpen(false)}
      >
        <p>
          {saved.repliesWhenClosed
            ? t('messaging.settings.confirmClose.textReplies')
            : t('messaging.settings.confirmClose.textNoReplies')}
        </p>
      </ConfirmDialog>

      <form ref={formRef} className="stack-lg" onSubmit={submit} noValidate>
        <Card title={t('messaging.settings.who.title')} description={t('messaging.settings.who.description')}>
          <div className="form">
            <Select
              className="msg-narrow"
              label={t('messaging.settings.who.window')}
              hint={t('messaging.settings.who.windowHint')}
              value={form.windowMonths}
              onChange={(event) => update({ windowMonths: event.target.value })}
              options={windowOptions}
            />
            <Toggle
              label={t('messaging.settings.who.relatives')}
              hint={t('messaging.settings.who.relativesHint')}
              checked={form.allowRelatives}
              onChange={(event) => update({ allowRelatives: event.target.checked })}
            />
          </div>
        </Card>

        <Card
          title={t('messaging.settings.categories.title')}
          description={t('messaging.settings.categories.description')}
        >
          <ul className="msg-category-settings">
            {CATEGORIES.map((category) => (
              <li key={category} className="msg-category-setting">
                <Toggle
                  label={categoryLabel(t, category)}
                  hint={t(`messaging.categories.${category}.hint`)}
                  checked={form.categories[category].enabled}
                  onChange={(event) => setCategory(category, { enabled: event.target.checked })}
                />
                <TextField
                  className="msg-days-field"
                  label={t('messaging.settings.categories.days', { category: categoryLabel(t, category) })}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={30}
                  value={form.categories[category].responseDays}
                  disabled={!form.categories[category].enabled}
                  onChange={(event) => setCategory(category, { responseDays: event.target.value })}
                  error={errors[`categories.${category}.responseDays`]}
                  inputClassName="msg-input--days"
                  addon={<span className="msg-suffix">{t('messaging.settings.categories.workingDays')}</span>}
                />
              </li>
            ))}
          </ul>
          {errors.categories ? (
            <p className="field__error" role="alert">
              {errors.categories}
            </p>
          ) : null}
        </Card>

        <Card
          title={t('messaging.settings.limits.title')}
          description={t('messaging.settings.limits.description')}
        >
          <div className="form">
            <div className="form__row">
              <TextField
                label={t('messaging.settings.limits.open')}
                hint={t('messaging.settings.limits.openHint')}
                type="number"
                inputMode="numeric"
                min={1}
                max={20}
                value={form.maxOpenConversations}
                onChange={(event) => update({ maxOpenConversations: event.target.value })}
                error={errors.maxOpenConversations}
                inputClassName="msg-input--days"
              />
              <TextField
                label={t('messaging.settings.limits.daily')}
                hint={t('messaging.settings.limits.dailyHint')}
                type="number"
                inputMode="numeric"
                min={1}
                max={100}
                value={form.dailyMessageCap}
                onChange={(event) => update({ dailyMessageCap: event.target.value })}
                error={errors.dailyMessageCap}
                inputClassName="msg-input--days"
              />
            </div>
            <TextField
              label={t('messaging.settings.limits.autoClose')}
              hint={t('messaging.settings.limits.autoCloseHint')}
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              value={form.autoCloseDays}
              onChange={(event) => update({ autoCloseDays: event.target.value })}
              error={errors.autoCloseDays}
              inputClassName="msg-input--days"
              addon={<span className="msg-suffix">{t('messaging.settings.limits.days')}</span>}
            />
            <Toggle
              label={t('messaging.settings.limits.repliesWhenClosed')}
              hint={t('messaging.settings.limits.repliesWhenClosedHint')}
              checked={form.repliesWhenClosed}
              onChange={(event) => update({ repliesWhenClosed: event.target.checked })}
            />
          </div>
        </Card>

        <Card
          title={t('messaging.settings.absence.title')}
          description={t('messaging.settings.absence.description')}
        >
          <div className="form">
            <Toggle
              label={t('messaging.settings.absence.toggle')}
              checked={form.away}
              onChange={(event) => update({ away: event.target.checked })}
            />
            {form.away ? (
              <>
                <div className="form__row">
                  <TextField
                    label={t('messaging.settings.absence.from')}
                    type="date"
                    value={form.absenceFrom}
                    onChange={(event) => update({ absenceFrom: event.target.value })}
                    error={errors['absence.from']}
                  />
                  <TextField
                    label={t('messaging.settings.absence.until')}
                    type="date"
                    min={form.absenceFrom || undefined}
                    value={form.absenceUntil}
                    onChange={(event) => update({ absenceUntil: event.target.value })}
                    error={errors['absence.until']}
                  />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor={`${id}-absence-message`}>
                    {t('messaging.settings.absence.message')}
                  </label>
                  <textarea
                    id={`${id}-absence-message`}
                    className="input msg-textarea"
                    rows={3}
                    maxLength={ABSENCE_MESSAGE_MAX_CHARS}
                    value={form.absenceMessage}
                    aria-describedby={`${id}-absence-hint`}
                    onChange={(event) => update({ absenceMessage: event.target.value })}
                  />
                  <div id={`${id}-absence-hint`} className="field__hint">
                    {t('messaging.settings.absence.messageHint')}
                  </div>
                </div>
                {colleagues.length > 0 ? (
                  <Select
                    label={t('messaging.settings.absence.covering')}
                    value={form.covering}
                    onChange={(event) => update({ covering: event.target.value })}
                    error={errors['absence.coveringPractitionerId']}
                    options={[
                      { value: '', label: t('messaging.settings.absence.nobody') },
                      ...colleagues.map((member) => ({
                        value: member.userId,
                        label: `${member.firstName} ${member.lastName}`,
                      })),
                    ]}
                  />
                ) : null}
              </>
            ) : null}
          </div>
        </Card>

        <div className="msg-settings__save">
          <FormError error={save.error} />
          <div aria-live="polite">{done ? <Alert tone="success">{done}</Alert> : null}</div>
          <div className="form__actions">
            <Button type="submit" busy={save.busy}>
              {t('messaging.settings.save')}
            </Button>
          </div>
        </div>
      </form>
    </>
  );
}
