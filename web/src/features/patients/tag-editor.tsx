import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { practicePatientsApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { errorText } from '../../i18n/errors';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u;
const MAX_TAGS = 20;

/** Tags as the server stores them: trimmed, lower case. */
export function normaliseTag(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

type TagEditorProps = {
  practiceId: string;
  patientId: string;
  patientName: string;
  tags: string[];
  knownTags: readonly string[];
  onChange: (tags: string[]) => void;
};

/** A patient's tags in a table cell: shown as chips, edited in place (each change is saved at once). */
export function TagEditor({ practiceId, patientId, patientName, tags, knownTags, onChange }: TagEditorProps) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(next: string[]) {
    setBusy(true);
    setMessage(null);
    try {
      const result = await practicePatientsApi.setTags(practiceId, patientId, next);
      onChange(result.tags);
      return true;
    } catch (error) {
      setMessage(errorText(t, error));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function addTag() {
    const tag = normaliseTag(value);
    if (!tag) return;
    if (!TAG.test(tag)) {
      setMessage(t('patients.tagInvalid'));
      return;
    }
    if (tags.includes(tag)) {
      setValue('');
      return;
    }
    if (tags.length >= MAX_TAGS) {
      setMessage(t('patients.tagTooMany', { count: MAX_TAGS }));
      return;
    }
    if (await save([...tags, tag])) {
      setValue('');
      inputRef.current?.focus();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      void addTag();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  }

  function close() {
    setEditing(false);
    setMessage(null);
    setValue('');
    returnFocus.current = true;
  }

  useEffect(() => {
    if (editing) inputRef.current?.focus();
  }, [editing]);

  // Back from editing: focus returns to the button that opened the editor.
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  if (!editing)
    return (
      <div className="tags">
        {tags.length > 0 ? (
          <ul className="tag-list">
            {tags.map((tag) => (
              <li key={tag} className="tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
        <Button
          ref={editButton}
          variant="ghost"
          small
          className="tags__edit"
          onClick={() => {
            setEditing(true);
          }}
        >
          {tags.length > 0 ? t('patients.editTags') : t('patients.addTags')}
          <span className="visually-hidden"> {t('patients.tagsOf', { name: patientName })}</span>
        </Button>
      </div>
    );

  return (
    <div className="tag-editor">
      {tags.length > 0 ? (
        <ul className="tag-list">
          {tags.map((tag) => (
            <li key={tag} className="tag tag--removable">
              {tag}
              <button
                type="button"
                className="tag__remove"
                disabled={busy}
                onClick={() => void save(tags.filter((candidate) => candidate !== tag))}
              >
                <span aria-hidden="true">×</span>
                <span className="visually-hidden">{t('patients.removeTag', { tag })}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="tag-editor__add">
        <label htmlFor={`${id}-input`} className="visually-hidden">
          {t('patients.newTagFor', { name: patientName })}
        </label>
        <input
          ref={inputRef}
          id={`${id}-input`}
          className="input input--compact"
          list={`${id}-known`}
          maxLength={40}
          value={value}
          placeholder={t('patients.newTag')}
          aria-describedby={message ? `${id}-message` : undefined}
          aria-invalid={message ? true : undefined}
          onChange={(event) => {
            setValue(event.target.value);
            setMessage(null);
          }}
          onKeyDown={onKeyDown}
        />
        <datalist id={`${id}-known`}>
          {knownTags
            .filter((tag) => !tags.includes(tag))
            .map((tag) => (
              <option key={tag} value={tag} />
            ))}
        </datalist>
        <Button variant="secondary" small busy={busy} onClick={() => void addTag()}>
          {t('patients.addTag')}
        </Button>
        <Button variant="ghost" small onClick={close}>
          {t('patients.doneTags')}
        </Button>
      </div>
      <div aria-live="polite">
        {message ? (
          <div id={`${id}-message`} className="field__error">
            {message}
          </div>
        ) : null}
      </div>
    </div>
  );
}
