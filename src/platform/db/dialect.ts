import {
  CompiledQuery,
  type Kysely,
  type OperationNodeSource,
  RawNode,
  type SelectQueryBuilder,
  sql,
  ValueNode,
} from 'kysely';
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

/** The bound parameters one statement may carry on SQLite (its limit is 32,766). */
const SQLITE_MAX_PARAMETERS = 30_000;

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * A value as PostgreSQL's input functions read it from JSON text: binary as `\x` hex, the rest (text,
 * numbers, null: the schema has no bigint values) as is.
 */
function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return value;
}

/**
 * The statements that insert many rows of one table, all with the same columns (the first row's), built
 * without the query builder's per-value work: on PostgreSQL one statement whose single parameter is the
 * rows as JSON (`json_populate_recordset` reads each value with its column's type), so its text, parsing
 * and planning do not grow with the rows; on SQLite multi-row `values` whose text is the same for batches
 * of the same size (the driver keeps it prepared). Use for batches made by the application, where the
 * builder's checks add nothing.
 */
export function insertRows<T extends keyof Database & string>(
  dialect: Dialect,
  table: T,
  rows: readonly Database[T][],
): Statement[] {
  const records = rows as unknown as readonly Record<string, unknown>[];
  const first = records[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const list = columns.map(quoted).join(', ');
  if (dialect === 'postgres') {
    const json = JSON.stringify(
      records.map((row) => {
        const out: Record<string, unknown> = {};
        for (const column of columns) out[column] = jsonValue(row[column]);
        return out;
      }),
    );
    return [
      sql`insert into ${sql.raw(`${quoted(table)} (${list}) select ${list} from json_populate_recordset(null::${quoted(table)}, `)}${json}::json)`,
    ];
  }
  const perStatement = Math.max(1, Math.floor(SQLITE_MAX_PARAMETERS / columns.length));
  const statements: Statement[] = [];
  for (let start = 0; start < records.length; start += perStatement) {
    const chunk = records.slice(start, start + perStatement);
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column]);
    statements.push(new CompiledRows(valuesText(table, list, columns.length, chunk.length), parameters));
  }
  return statements;
}

/** Texts of SQLite multi-row inserts, by table, columns and row count: batches repeat the same few. */
const valuesTexts = new Map<string, string>();

function valuesText(table: string, list: string, columns: number, rows: number): string {
  const key = `${table}|${list}|${rows}`;
  let text = valuesTexts.get(key);
  if (!text) {
    const row = `(${new Array(columns).fill('?').join(', ')})`;
    text = `insert into ${quoted(table)} (${list}) values ${new Array(rows).fill(row).join(', ')}`;
    if (valuesTexts.size >= 200) valuesTexts.clear();
    valuesTexts.set(key, text);
  }
  return text;
}

/**
 * A statement whose SQLite text and parameters are ready: executeTogether runs it as is, without the query
 * builder's compilation (a node per value, visited once more: 5 % of a campaign's fan-out in the profile).
 */
class CompiledRows implements OperationNodeSource {
  constructor(
    readonly text: string,
    readonly parameters: unknown[],
  ) {}

  toOperationNode(): RawNode {
    const fragments = this.text.split('?');
    return RawNode.create(
      fragments,
      this.parameters.map((value) => ValueNode.create(value)),
    );
  }
}

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
    for (const statement of statements)
      if (statement instanceof CompiledRows)
        await db.executeQuery(CompiledQuery.raw(statement.text, statement.parameters));
      else await sql`${statement}`.execute(db);
    return;
  }
  // Every statement is a `with` item (an item may have its own `with`, the main statement may not);
  // PostgreSQL runs data-modifying items to completion whether or not the main query reads them.
  const items = statements.map((statement, index) => sql`${sql.raw(`w${index}`)} as (${statement})`);
  await sql`with ${sql.join(items)} select 1`.execute(db);
}
