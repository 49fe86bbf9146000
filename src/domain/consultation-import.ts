import { matchKey } from './care';

/**
 * Parsing and validation of a practice's list of past consultations (CSV). Pure: the caller parses the CSV
 * text into records; this module maps headers in French, Italian or English, checks every row and reports
 * each problem with its line, so that a file with any bad row changes nothing.
 */
export interface ImportRow {
  line: number;
  lastName: string;
  firstName: string;
  birthDate: string;
  email: string | null;
  lastConsultationOn: string;
  matchKey: string;
}

export interface ImportProblem {
  line: number;
  field: string;
  reason:
    | 'missing'
    | 'unreadable'
    | 'invalid_date'
    | 'future_date'
    | 'before_birth'
    | 'invalid_email'
    | 'duplicate'
    | 'too_long'
    | 'unknown_columns';
}

export const FIELD_ALIASES: Record<keyof Omit<ImportRow, 'line' | 'matchKey'>, string[]> = {
  lastName: ['last name', 'lastname', 'surname', 'family name', 'nom', 'nom de famille', 'cognome'],
  firstName: ['first name', 'firstname', 'given name', 'prenom', 'nome'],
  birthDate: [
    'birth date',
    'birthdate',
    'date of birth',
    'dob',
    'date de naissance',
    'naissance',
    'data di nascita',
    'nascita',
  ],
  email: ['email', 'e-mail', 'mail', 'courriel', 'adresse e-mail', 'posta elettronica'],
  lastConsultationOn: [
    'last consultation',
    'date of last consultation',
    'last visit',
    'derniere consultation',
    'date de derniere consultation',
    'ultima visita',
    'data ultima visita',
    'ultima consultazione',
  ],
};

export const normaliseHeader = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[_.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export type ColumnMap = Record<keyof typeof FIELD_ALIASES, number>;

/** Finds each required column in the header row; null fields are missing. */
export function mapColumns(header: readonly string[]): { columns: ColumnMap | null; missing: string[] } {
  const normalised = header.map(normaliseHeader);
  const columns: Partial<ColumnMap> = {};
  const missing: string[] = [];
  for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [keyof ColumnMap, string[]][]) {
    const index = normalised.findIndex((h) => aliases.includes(h));
    if (index === -1) missing.push(field);
    else columns[field] = index;
  }
  return { columns: missing.length === 0 ? (columns as ColumnMap) : null, missing };
}

/** Accepts 2024-03-15, 15/03/2024, 15-03-2024 and 15.03.2024 (day first, as written in France and Italy). */
export function parseDate(value: string): string | null {
  const trimmed = value.trim();
  let year: number;
  let month: number;
  let day: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
    if (!match) return null;
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateImport(
  records: readonly (readonly string[])[],
  today: string,
): { rows: ImportRow[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const rows: ImportRow[] = [];
  const [header, ...body] = records;
  if (!header) return { rows, problems: [{ line: 1, field: 'file', reason: 'missing' }] };
  const { columns, missing } = mapColumns(header);
  if (!columns)
    return {
      rows,
      problems: missing.map((field) => ({ line: 1, field, reason: 'unknown_columns' as const })),
    };
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const line = index + 2;
    if (record.every((cell) => cell.trim() === '')) return;
    const cell = (field: keyof ColumnMap) => (record[columns[field]] ?? '').trim();
    const before = problems.length;
    const lastName = cell('lastName');
    const firstName = cell('firstName');
    for (const [field, value] of [
      ['lastName', lastName],
      ['firstName', firstName],
    ] as const) {
      if (!value) problems.push({ line, field, reason: 'missing' });
      else if (value.length > 100) problems.push({ line, field, reason: 'too_long' });
    }
    const birthDate = parseDate(cell('birthDate'));
    if (!cell('birthDate')) problems.push({ line, field: 'birthDate', reason: 'missing' });
    else if (!birthDate) problems.push({ line, field: 'birthDate', reason: 'invalid_date' });
    else if (birthDate > today) problems.push({ line, field: 'birthDate', reason: 'future_date' });
    const consultation = parseDate(cell('lastConsultationOn'));
    if (!cell('lastConsultationOn')) problems.push({ line, field: 'lastConsultationOn', reason: 'missing' });
    else if (!consultation) problems.push({ line, field: 'lastConsultationOn', reason: 'invalid_date' });
    else if (consultation > today)
      problems.push({ line, field: 'lastConsultationOn', reason: 'future_date' });
    else if (birthDate && consultation < birthDate)
      problems.push({ line, field: 'lastConsultationOn', reason: 'before_birth' });
    const email = cell('email').toLowerCase();
    if (email && (email.length > 254 || !EMAIL.test(email)))
      problems.push({ line, field: 'email', reason: 'invalid_email' });
    if (problems.length > before || !birthDate || !consultation) return;
    const key = matchKey(lastName, firstName, birthDate);
    if (seen.has(key)) {
      problems.push({ line, field: 'row', reason: 'duplicate' });
      return;
    }
    seen.set(key, line);
    rows.push({
      line,
      lastName,
      firstName,
      birthDate,
      email: email || null,
      lastConsultationOn: consultation,
      matchKey: key,
    });
  });
  return { rows, problems };
}
