import { useId } from 'react';

type ProgressBarProps = {
  /** What is in progress ("Sending the file…"), shown above the bar and naming it. */
  label: string;
  /** Between 0 and 1; without a value the bar is indeterminate (the server is working). */
  value?: number | undefined;
  /** Extra text after the label, such as "45 %". */
  detail?: string | undefined;
};

/** A native <progress>, so assistive technologies know how far along it is, or that it is busy. */
export function ProgressBar({ label, value, detail }: ProgressBarProps) {
  const id = useId();
  return (
    <div className="progress" role="status" aria-live="polite">
      <div className="progress__label" id={id}>
        <span>{label}</span>
        {detail ? <span className="muted">{detail}</span> : null}
      </div>
      {value === undefined ? (
        <progress className="progress__bar progress__bar--indeterminate" aria-labelledby={id} />
      ) : (
        <progress className="progress__bar" aria-labelledby={id} max={1} value={value} />
      )}
    </div>
  );
}
