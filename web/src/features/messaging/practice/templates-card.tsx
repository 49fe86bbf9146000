import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Checkbox } from '../../../components/checkbox';
import { ConfirmDialog } from '../../../components/dialog';
import { FormError } from '../../../components/form-error';
import { LoadError } from '../../../components/load-error';
import { Spinner } from '../../../components/spinner';
import { TextField } from '../../../components/text-field';
import { issuesByField } from '../../../i18n/errors';
import { useResource } from '../../../lib/use-resource';
import { useSubmit } from '../../../lib/use-submit';
import { messagingApi, type Template } from '../api';
import { MESSAGE_MAX_CHARS, TEMPLATE_TITLE_MAX_CHARS } from '../constants';

/** Reply templates: the member's own, and the practice's shared ones (written by its administrators). */
export function TemplatesCard({ practiceId, isAdmin }: { practiceId: string; isAdmin: boolean }) {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(
    () => messagingApi.templates(practiceId),
    `templates-${practiceId}`,
  );
  const [removing, setRemoving] = useState<Template | null>(null);
  const remove = useSubmit();
  return (
    <Card title={t('messaging.templates.title')} description={t('messaging.templates.description')}>
      <div className="stack">
        {resource.status === 'loading' ? <Spinner label={t('common.loading')} /> : null}
        {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
        {resource.status === 'ready' ? (
          resource.data.templates.length === 0 ? (
            <p className="muted">{t('messaging.templates.empty')}</p>
          ) : (
            <ul className="msg-template-admin">
              {resource.data.templates.map((template) => (
                <li key={template.id} className="msg-template-admin__item">
                  <div>
                    <p className="msg-template__title">
                      {template.title}{' '}
                      <Badge tone={template.shared ? 'primary' : 'neutral'}>
                        {template.shared ? t('messaging.templates.shared') : t('messaging.templates.mine')}
                      </Badge>
                    </p>
                    <p className="msg-template__body">{template.body}</p>
                  </div>
                  {!template.shared || isAdmin ? (
                    <Button variant="ghost" small onClick={() => setRemoving(template)}>
                      {t('messaging.templates.delete')}
                      <span className="visually-hidden"> {template.title}</span>
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        ) : null}
        <NewTemplate
          practiceId={practiceId}
          isAdmin={isAdmin}
          onCreated={(template) => setData((data) => ({ templates: [...data.templates, template] }))}
        />
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={t('messaging.templates.deleteTitle', { title: removing?.title ?? '' })}
        confirmLabel={t('messaging.templates.delete')}
        confirmVariant="danger"
        busy={remove.busy}
        onCancel={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const target = removing;
          const outcome = await remove.run(() => messagingApi.deleteTemplate(practiceId, target.id));
          setRemoving(null);
          if (outcome.ok)
            setData((data) => ({
              templates: data.templates.filter((template) => template.id !== target.id),
            }));
        }}
      >
        <FormError error={remove.error} />
      </ConfirmDialog>
    </Card>
  );
}

function NewTemplate({
  practiceId,
  isAdmin,
  onCreated,
}: {
  practiceId: string;
  isAdmin: boolean;
  onCreated: (template: Template) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [shared, setShared] = useState(false);
  const [errors, setErrors] = useState<{ title?: string; body?: string }>({});
  const [created, setCreated] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const { busy, error, run } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated('');
    const found = {
      title: title.trim() ? undefined : t('messaging.new.required'),
      body: body.trim() ? undefined : t('messaging.new.required'),
    };
    setErrors(found);
    if (found.title || found.body) {
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    const outcome = await run(() =>
      messagingApi.createTemplate(practiceId, { title: title.trim(), body: body.trim(), shared }),
    );
    if (outcome.ok) {
      onCreated(outcome.value);
      setTitle('');
      setBody('');
      setShared(false);
      setCreated(t('messaging.templates.created', { title: outcome.value.title }));
    } else {
      const byField = issuesByField(t, outcome.error);
      setErrors({ title: byField.title, body: byField.body });
    }
  }

  return (
    <form
      ref={formRef}
      className="form msg-subform"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`} className="msg-subform__title">
        {t('messaging.templates.add')}
      </h3>
      <FormError error={error} />
      <TextField
        label={t('messaging.templates.titleLabel')}
        value={title}
        maxLength={TEMPLATE_TITLE_MAX_CHARS}
        onChange={(event) => {
          setTitle(event.target.value);
          setErrors((previous) => ({ ...previous, title: undefined }));
        }}
        error={errors.title}
        autoComplete="off"
      />
      <div className="field">
        <label className="field__label" htmlFor={`${id}-body`}>
          {t('messaging.templates.bodyLabel')}
        </label>
        <textarea
          id={`${id}-body`}
          className="input msg-textarea"
          rows={4}
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
      {isAdmin ? (
        <Checkbox
          label={t('messaging.templates.shareLabel')}
          hint={t('messaging.templates.shareHint')}
          checked={shared}
          onChange={(event) => setShared(event.target.checked)}
        />
      ) : null}
      <div aria-live="polite">{created ? <Alert tone="success">{created}</Alert> : null}</div>
      <div className="form__actions">
        <Button type="submit" variant="secondary" busy={busy}>
          {t('messaging.templates.save')}
        </Button>
      </div>
    </form>
  );
}
