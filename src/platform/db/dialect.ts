import { type Kysely, type OperationNodeSource, type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from './schema';
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

/** A statement that changes rows (insert, update, delete or raw SQL), built but not yet run. */
export type Statement = OperationNodeSource;

/**
 * Runs data-changing statements in order, inside the caller's transaction. On PostgreSQL they go as one
 * statement (each a data-modifying `with` item): one round trip instead of one each, which
 * matters while a lock such as the audit chain's head is held. They must not depend on each other's
 * effects (PostgreSQL runs the items on one snapshot) nor change the same row twice; foreign keys
 * between them are checked at the end of the statement.
 */
export async function executeTogether(
  db: Kysely<Database>,
  dialect: Dialect,
  statements: readonly Statement[],
): Promise<void> {
  if (statements.length === 0) return;
  if (dialect !== 'postgres' || statements.length === 1) {
    for (const statement of statements) await sql`${statement}`.execute(db);
    return;
  }
  // Every statement is a `with` item (an item may have its own `with`, the main statement may not);
  // PostgreSQL runs data-modifying items to completion whether or not the main query reads them.
  const items = statements.map((statement, index) => sql`${sql.raw(`w${index}`)} as (${statement})`);
  await sql`with ${sql.join(items)} select 1`.execute(db);
}
