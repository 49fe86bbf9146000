import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function Logo({ to }: { to: string }) {
  const { t } = useTranslation();
  return (
    <Link to={to} className="logo" aria-label={t('layout.logoLabel')}>
      <svg
        className="logo__mark"
        viewBox="0 0 32 32"
        width="32"
        height="32"
        aria-hidden="true"
        focusable="false"
      >
        <rect width="32" height="32" rx="7" fill="currentColor" />
        <path
          d="M7 10.5A2.5 2.5 0 0 1 9.5 8h13A2.5 2.5 0 0 1 25 10.5v8a2.5 2.5 0 0 1-2.5 2.5H14l-5 4v-4h.5A2.5 2.5 0 0 1 7 18.5z"
          fill="#fff"
        />
        <path
          d="M11 13l5 3.2L21 13"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span className="logo__text">Missive</span>
    </Link>
  );
}
