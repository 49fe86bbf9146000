import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './store';

/**
 * Row locks exist on PostgreSQL only; SQLite serialises writers with its database lock, so a plain
 * select inside the (immediate) transaction gives the same guarantee there.
 */
export function forUpdate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: Dialect,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate() : query;
}

/** Whether a database error is a unique-constraint violation, on either store. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * Whether a database error is worth running the same work again in a new transaction: a PostgreSQL
 * deadlock or serialisation failure, or SQLite finding the database busy.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
}
