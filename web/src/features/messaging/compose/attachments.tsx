import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { Button } from '../../../components/button';
import { errorText } from '../../../i18n/errors';
import { fileSize } from '../../../lib/format';
import { type Attachment, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, uploadAttachment } from '../api';

export type Upload = {
  key: string;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'failed';
  progress: number;
  attachment?: Attachment;
  error?: string;
};

const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
let counter = 0;

/** Files joined to a draft: each is uploaded as soon as it is chosen, then referenced by the message. */
export function useUploads(max = MAX_ATTACHMENTS) {
  const { t } = useTranslation();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const current = controllers.current;
    return () => {
      for (const controller of current.values()) controller.abort();
    };
  }, []);

  const patch = useCallback((key: string, changes: Partial<Upload>) => {
    setUploads((list) => list.map((item) => (item.key === key ? { ...item, ...changes } : item)));
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      const room = Math.max(0, max - uploads.filter((item) => item.status !== 'failed').length);
      const accepted = files.slice(0, room);
      const refused = files.slice(room).map(
        (file): Upload => ({
          key: `upload-${++counter}`,
          name: file.name,
          size: file.size,
          status: 'failed',
          progress: 0,
          error: t('messaging.attachments.tooMany', { count: max }),
        }),
      );
      const started = accepted.map((file): Upload => {
        const key = `upload-${++counter}`;
        if (file.size > MAX_ATTACHMENT_BYTES)
          return {
            key,
            name: file.name,
            size: file.size,
            status: 'failed',
            progress: 0,
            error: t('errors.MISSIVE_ATTACHMENT_TOO_LARGE'),
          };
        const controller = new AbortController();
        controllers.current.set(key, controller);
        uploadAttachment(file, (progress) => patch(key, { progress }), controller.signal).then(
          (attachment) => {
            controllers.current.delete(key);
            patch(key, { status: 'done', progress: 1, attachment });
          },
          (error: unknown) => {
            controllers.current.delete(key);
            if (error instanceof DOMException && error.name === 'AbortError') return;
            patch(key, {
              status: 'failed',
              error:
                error instanceof ApiError && error.status === 413
                  ? t('errors.MISSIVE_ATTACHMENT_TOO_LARGE')
                  : errorText(t, error),
            });
          },
        );
        return { key, name: file.name, size: file.size, status: 'uploading', progress: 0 };
      });
      setUploads((list) => [...list, ...started, ...refused]);
    },
    [max, uploads, patch, t],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setUploads((list) => list.filter((item) => item.key !== key));
  }, []);

  const reset = useCallback((attachments: readonly Attachment[] = []) => {
    for (const controller of controllers.current.values()) controller.abort();
    controllers.current.clear();
    setUploads(
      attachments.map((attachment) => ({
        key: `upload-${++counter}`,
        name: attachment.name,
        size: attachment.size,
        status: 'done',
        progress: 1,
        attachment,
      })),
    );
  }, []);

  const ready = uploads.flatMap((item) =>
    item.status === 'done' && item.attachment ? [item.attachment] : [],
  );
  return {
    uploads,
    ready,
    uploading: uploads.some((item) => item.status === 'uploading'),
    full: uploads.filter((item) => item.status !== 'failed').length >= max,
    add,
    remove,
    reset,
  };
}

export type Uploads = ReturnType<typeof useUploads>;

type AttachmentFieldProps = {
  uploads: Uploads;
  /** "Attach a file", "Add a photo of the prescription". */
  label: string;
  hint?: string;
  multiple?: boolean;
  disabled?: boolean;
};

/** A button that opens the file chooser, and the chosen files with their upload progress. */
export function AttachmentField({
  uploads,
  label,
  hint,
  multiple = true,
  disabled = false,
}: AttachmentFieldProps) {
  const { t, i18n } = useTranslation();
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  return (
    <div className="msg-attach">
      <div className="msg-attach__row">
        <Button
          variant="secondary"
          small
          onClick={() => inputRef.current?.click()}
          disabled={disabled || uploads.full}
          aria-describedby={hint ? hintId : undefined}
          icon={<PaperclipIcon />}
        >
          {label}
        </Button>
        {hint ? (
          <span id={hintId} className="small muted">
            {hint}
          </span>
        ) : null}
      </div>
      <input
        ref={inputRef}
        type="file"
        hidden
        accept={ACCEPT}
        multiple={multiple}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) uploads.add(multiple ? files : files.slice(0, 1));
        }}
      />
      {uploads.uploads.length > 0 ? (
        <ul className="msg-attach__list" aria-label={t('messaging.attachments.listLabel')}>
          {uploads.uploads.map((item) => (
            <li key={item.key} className={`msg-file msg-file--${item.status}`}>
              <FileIcon className="msg-file__icon" />
              <span className="msg-file__text">
                <span className="msg-file__name">{item.name}</span>
                <span className="small muted">
                  {fileSize(item.size, i18n.language)}
                  {item.status === 'uploading'
                    ? ` · ${t('messaging.attachments.uploading', { percent: Math.round(item.progress * 100) })}`
                    : null}
                </span>
                {item.status === 'failed' ? (
                  <span className="field__error" role="alert">
                    {item.error}
                  </span>
                ) : null}
              </span>
              <button
                type="button"
                className="msg-file__remove"
                onClick={() => uploads.remove(item.key)}
                aria-label={t('messaging.attachments.remove', { name: item.name })}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function PaperclipIcon({ className }: { className?: string }) {
  return (
    <svg
      className={className}
      width={18}
      height={18}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
    </svg>
  );
}

export function FileIcon({ className }: { className?: string }) {
  return (
    <svg
      className={className}
      width={20}
      height={20}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z" />
      <path d="M14 2v6h6" />
    </svg>
  );
}

/** A downloadable attachment of a message (the server sends it as a download, never displayed inline). */
export function AttachmentLink({ attachment, href }: { attachment: Attachment; href: string }) {
  const { t, i18n } = useTranslation();
  return (
    <a className="msg-download" href={href} download={attachment.name}>
      <FileIcon className="msg-download__icon" />
      <span className="msg-download__name">{attachment.name}</span>
      <span className="msg-download__meta">
        <span className="visually-hidden">{t('messaging.attachments.download')}, </span>
        {fileSize(attachment.size, i18n.language)}
      </span>
    </a>
  );
}
