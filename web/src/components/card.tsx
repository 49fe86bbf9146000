import { type HTMLAttributes, type ReactNode, useId } from 'react';

type HeadingLevel = 2 | 3;

type CardProps = Omit<HTMLAttributes<HTMLElement>, 'title'> & {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  headingLevel?: HeadingLevel;
};

/** A section of a page: its title is a real heading, and the section is labelled by it. */
export function Card({
  title,
  description,
  actions,
  headingLevel = 2,
  className,
  children,
  ...rest
}: CardProps) {
  const id = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section
      {...rest}
      className={['card', className].filter(Boolean).join(' ')}
      aria-labelledby={title ? id : undefined}
    >
      {title || actions ? (
        <div className="card__header">
          <div>
            {title ? (
              <Heading id={id} className="card__title">
                {title}
              </Heading>
            ) : null}
            {description ? <p className="card__description">{description}</p> : null}
          </div>
          {actions ? <div className="cluster">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}
