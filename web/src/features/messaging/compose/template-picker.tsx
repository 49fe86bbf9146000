import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { LoadError } from '../../../components/load-error';
import { Spinner } from '../../../components/spinner';
import { useResource } from '../../../lib/use-resource';
import { messagingApi, type Template } from '../api';

/** "Insert a template": the practice's and the member's own reply templates, chosen in a dialog. */
export function TemplatePicker({
  practiceId,
  onInsert,
}: {
  practiceId: string;
  onInsert: (template: Template) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" small onClick={() => setOpen(true)} aria-haspopup="dialog">
        {t('messaging.templates.insert')}
      </Button>
      <Dialog
        open={open}
        title={t('messaging.templates.chooseTitle')}
        onClose={() => setOpen(false)}
        actions={
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        }
      >
        {open ? (
          <TemplateList
            practiceId={practiceId}
            onChoose={(template) => {
              setOpen(false);
              onInsert(template);
            }}
          />
        ) : null}
      </Dialog>
    </>
  );
}

function TemplateList({
  practiceId,
  onChoose,
}: {
  practiceId: string;
  onChoose: (template: Template) => void;
}) {
  const { t } = useTranslation();
  const { resource, reload } = useResource(
    () => messagingApi.templates(practiceId),
    `templates-${practiceId}`,
  );
  if (resource.status === 'loading') return <Spinner label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  const templates = resource.data.templates;
  if (templates.length === 0)
    return (
      <p className="muted">
        {t('messaging.templates.none')}{' '}
        <Link to={`/practices/${practiceId}/messaging-settings#templates`}>
          {t('messaging.templates.manage')}
        </Link>
      </p>
    );
  return (
    <ul className="msg-template-list">
      {templates.map((template) => (
        <li key={template.id}>
          <button type="button" className="msg-template" onClick={() => onChoose(template)}>
            <span className="msg-template__title">
              {template.title}
              {template.shared ? (
                <span className="small muted"> · {t('messaging.templates.shared')}</span>
              ) : null}
            </span>
            <span className="msg-template__body">{template.body}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
