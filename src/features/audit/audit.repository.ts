import type { Kysely } from 'kysely';
import { forUpdate } from '../../platform/db/dialect';
import type { AuditLogRow, Database } from '../../platform/db/schema';
import type { Dialect } from '../../platform/db/store';

export function lockHead(db: Kysely<Database>, dialect: Dialect) {
  return forUpdate(
    db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1),
    dialect,
  ).executeTakeFirstOrThrow();
}

export async function appendEntry(db: Kysely<Database>, row: AuditLogRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
  await db.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
}

/** Inserts consecutive entries and moves the head to the last one. */
export async function appendEntries(db: Kysely<Database>, rows: readonly AuditLogRow[]): Promise<void> {
  const last = rows.at(-1);
  if (!last) return;
  // 16 columns a row: 500 rows stay far below both stores' bound-parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('audit_log')
      .values(rows.slice(i, i + 500))
      .execute();
  await db.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
}

export function readChunk(db: Kysely<Database>, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq', 'asc')
    .limit(limit)
    .execute();
}

export function readHead(db: Kysely<Database>) {
  return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}
