/** English dates as written in Europe ("14 March 1951"), the service being for France and Italy. */
export function intlLocale(language: string): string {
  if (language.startsWith('fr')) return 'fr-FR';
  if (language.startsWith('it')) return 'it-IT';
  return 'en-GB';
}

/**
 * Formats an epoch-milliseconds instant as a date (and optionally a time) in the active language, in the
 * given time zone (a practice's) or else the device's.
 */
export function formatDateTime(epochMs: number, locale: string, withTime = false, timeZone?: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    ...(withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' }),
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(epochMs));
}

/** Formats a calendar date ("1984-03-07") without any time-zone shift. */
export function formatCalendarDate(isoDate: string, locale: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (!year || !month || !day) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to copy by hand into an authenticator app. */
export function groupInFours(value: string): string {
  return (value.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** "2.4 MB", "350 kB". */
export function fileSize(bytes: number, language: string): string {
  const locale = intlLocale(language);
  if (bytes >= 1024 * 1024)
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    }).format(bytes / (1024 * 1024));
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(
    Math.max(1, Math.round(bytes / 1024)),
  );
}
