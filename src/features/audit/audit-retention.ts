import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import { appendAudit, SYSTEM_ACTOR } from './audit.service';

/** The action of the entry that records a retention cut; verify-audit requires one for any anchor. */
export const RETENTION_ACTION = 'audit.retention_applied';

/** The instant before which audit entries have passed their retention (calendar months, UTC). */
export function retentionCutoff(now: number, months: number): number {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.getTime();
}

/**
 * Removes the audit entries older than the retention period, as one prefix of the chain. The chain stays
 * verifiable: the last removed entry's seq and hash become the anchor the verification starts from, and
 * an entry appended to the chain records that anchor, so that moving the anchor further (to hide more
 * removed entries) is detected.
 */
export async function applyAuditRetention(store: Store, clock: Clock, months: number): Promise<number> {
  const now = clock.now();
  const cutoff = retentionCutoff(now, months);
  return store.db.transaction().execute(async (trx) => {
    const anchor = await trx
      .selectFrom('audit_anchor')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const oldest = await trx
      .selectFrom('audit_log')
      .select(['seq', 'at'])
      .where('seq', '>', anchor.seq)
      .orderBy('seq', 'asc')
      .limit(1)
      .executeTakeFirst();
    if (!oldest || oldest.at >= cutoff) return 0;
    // The prefix ends before the first entry still within retention (clocks of several instances may
    // disagree by a little: an older entry after it is kept rather than leaving a hole).
    const firstKept = await trx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.min('seq').as('seq'))
      .where('at', '>=', cutoff)
      .where('seq', '>', anchor.seq)
      .executeTakeFirst();
    const head = await trx
      .selectFrom('audit_head')
      .select('seq')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const through = firstKept?.seq != null ? Number(firstKept.seq) - 1 : head.seq;
    if (through <= anchor.seq) return 0;
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash', 'at'])
      .where('seq', '=', through)
      .executeTakeFirstOrThrow();
    const removed = await trx.deleteFrom('audit_log').where('seq', '<=', through).executeTakeFirst();
    await trx
      .updateTable('audit_anchor')
      .set({ seq: last.seq, hash: last.hash, at: last.at })
      .where('id', '=', 1)
      .execute();
    await appendAudit(
      trx,
      store.dialect,
      SYSTEM_ACTOR,
      {
        action: RETENTION_ACTION,
        targetType: 'audit_log',
        details: { throughSeq: last.seq, throughHash: last.hash, months },
      },
      now,
    );
    return Number(removed.numDeletedRows);
  });
}
