type SpinnerProps = { label?: string; large?: boolean };

/** A rotating ring; with a label it is announced, without one it is decorative (the caller says what is happening). */
export function Spinner({ label, large = false }: SpinnerProps) {
  const className = large ? 'spinner spinner--large' : 'spinner';
  if (!label) return <span className={className} aria-hidden="true" />;
  return (
    <span role="status">
      <span className={className} aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

export function PageLoading({ label }: { label: string }) {
  return (
    <div className="page-loading" role="status" aria-live="polite">
      <span className="spinner spinner--large" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
