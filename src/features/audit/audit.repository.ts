import type { Kysely } from 'kysely';
import { compiledOnce } from '../../platform/db/compiled';
import { insertRows, type Statement } from '../../platform/db/dialect';
import type { AuditLogRow, Database } from '../../platform/db/schema';
import type { Dialect } from '../../platform/db/store';

/**
 * Takes the chain's head for `count` new entries: the row stays locked (on SQLite the writer is already
 * exclusive) until the transaction ends, so entries are numbered in commit order. Returns the sequence and
 * hash of the entry the new ones follow; appendStatements then writes them and the head's new hash.
 */
export async function reserveHead(db: Kysely<Database>, count: number) {
  const [head] = await movedHead(db, { count });
  if (!head) throw new Error('The audit chain has no head');
  return { seq: Number(head.seq) - count, hash: head.hash };
}

/** Taken by every write transaction, so compiled once. */
const movedHead = compiledOnce((db, args: { count: number }) =>
  db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', args.count) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash']),
);

/** The statements that insert consecutive entries and move the head's hash to the last one. */
export function appendStatements(
  db: Kysely<Database>,
  dialect: Dialect,
  rows: readonly AuditLogRow[],
): Statement[] {
  const last = rows.at(-1);
  if (!last) return [];
  return [
    ...insertRows(dialect, 'audit_log', rows),
    db.updateTable('audit_head').set({ hash: last.hash }).where('id', '=', 1),
  ];
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

export function readAnchor(db: Kysely<Database>) {
  return db.selectFrom('audit_anchor').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
}

/** A page of a practice's audit entries in a time range, with the names behind the ids, in chain order. */
export function practiceEntriesPage(
  db: Kysely<Database>,
  practiceId: string,
  range: { from: number; to: number },
  afterSeq: number,
  limit: number,
) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .leftJoin('practice_members', (join) =>
      join
        .onRef('practice_members.user_id', '=', 'audit_log.actor_user_id')
        .on('practice_members.practice_id', '=', practiceId),
    )
    .leftJoin('patient_profiles', 'patient_profiles.id', 'audit_log.patient_profile_id')
    .select([
      'audit_log.seq',
      'audit_log.at',
      'audit_log.actor_role',
      'audit_log.action',
      'audit_log.ip',
      'audit_log.user_agent',
      'users.first_name as actor_first_name',
      'users.last_name as actor_last_name',
      'practice_members.role as member_role',
      'patient_profiles.first_name as patient_first_name',
      'patient_profiles.last_name as patient_last_name',
    ])
    .where('audit_log.practice_id', '=', practiceId)
    .where('audit_log.at', '>=', range.from)
    .where('audit_log.at', '<', range.to)
    .where('audit_log.seq', '>', afterSeq)
    .orderBy('audit_log.seq', 'asc')
    .limit(limit)
    .execute();
}
