import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

type PageHeaderProps = {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  titleClassName?: string;
};

/** The page's single <h1>; it also sets the document title and receives focus after navigation. */
export function PageHeader({ title, description, actions, titleClassName }: PageHeaderProps) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <header className="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1} className={titleClassName}>
          {title}
        </h1>
        {description ? <p className="page-header__description">{description}</p> : null}
      </div>
      {actions ? <div className="cluster">{actions}</div> : null}
    </header>
  );
}
