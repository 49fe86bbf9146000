import type { Kysely } from 'kysely';
import type { Database, TermsAcceptanceRow, TermsVersionRow } from '../../platform/db/schema';

type Db = Kysely<Database>;

export function currentVersions(db: Db) {
  return db
    .selectFrom('terms_versions')
    .select(['kind', (eb) => eb.fn.max('version').as('version')])
    .groupBy('kind')
    .execute();
}

export function findVersion(db: Db, kind: TermsVersionRow['kind'], version: number) {
  return db
    .selectFrom('terms_versions')
    .selectAll()
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listVersions(db: Db) {
  return db.selectFrom('terms_versions').selectAll().orderBy('kind').orderBy('version').execute();
}

export async function insertVersion(db: Db, row: TermsVersionRow): Promise<void> {
  await db.insertInto('terms_versions').values(row).execute();
}

export function latestAcceptances(db: Db, userId: string) {
  return db
    .selectFrom('terms_acceptances')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('version', 'desc')
    .execute();
}

export async function insertAcceptance(db: Db, row: TermsAcceptanceRow): Promise<void> {
  await db
    .insertInto('terms_acceptances')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'version']).doNothing())
    .execute();
}

export function hasAccepted(db: Db, userId: string, kind: TermsAcceptanceRow['kind'], version: number) {
  return db
    .selectFrom('terms_acceptances')
    .select('version')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
}
