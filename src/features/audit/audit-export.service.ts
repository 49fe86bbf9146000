import { DateTime } from 'luxon';
import type { AuditExportQuery } from '../../contracts/security';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AuthContext } from '../accounts/sessions.service';
import type { PracticesService } from '../practices/practices.service';
import { practiceEntriesPage } from './audit.repository';
import { type Actor, appendAudit } from './audit.service';

const PAGE = 1_000;

export const AUDIT_CSV_COLUMNS = ['time', 'actor_name', 'role', 'action', 'patient', 'ip', 'user_agent'];

/**
 * One CSV cell: quoted, quotes doubled, and a leading character a spreadsheet would read as a formula
 * neutralised with an apostrophe (user agents and names are chosen by whoever sends them).
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r|%]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: Array<string | null | undefined>) => `${cells.map(csvCell).join(',')}\r\n`;

export function createAuditExportService(deps: { store: Store; clock: Clock; practices: PracticesService }) {
  const { store, clock, practices } = deps;

  return {
    /**
     * A practice's audit trail over a range of days, as CSV lines produced page by page (the caller streams
     * them). Only an administrator of the practice may export it; the export is itself recorded.
     */
    async exportPracticeCsv(
      auth: AuthContext,
      practiceId: string,
      query: AuditExportQuery,
      actor: Actor,
    ): Promise<{ filename: string; lines: AsyncGenerator<string> }> {
      const member =
        auth.user.kind === 'staff' ? await practices.findMember(practiceId, auth.user.id) : undefined;
      if (member?.is_admin !== 1) throw new AppError('MISSIVE_PRACTICE_ADMIN_ONLY');
      const practice = await practices.findPractice(practiceId);
      if (!practice) throw new AppError('MISSIVE_PRACTICE_ADMIN_ONLY');
      const zone = practice.time_zone;
      const range = {
        from: DateTime.fromISO(query.from, { zone }).startOf('day').toMillis(),
        to: DateTime.fromISO(query.to, { zone }).plus({ days: 1 }).startOf('day').toMillis(),
      };
      await store.db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'audit.exported',
            targetType: 'practice',
            targetId: practiceId,
            practiceId,
            details: { from: query.from, to: query.to },
          },
          clock.now(),
        ),
      );
      const db = store.db;
      async function* lines(): AsyncGenerator<string> {
        yield csvLine(AUDIT_CSV_COLUMNS);
        let after = 0;
        for (;;) {
          const rows = await practiceEntriesPage(db, practiceId, range, after, PAGE);
          for (const row of rows) {
            const actorName =
              row.actor_first_name !== null ? `${row.actor_first_name} ${row.actor_last_name}` : '';
            const patient =
              row.patient_first_name !== null ? `${row.patient_first_name} ${row.patient_last_name}` : '';
            yield csvLine([
              DateTime.fromMillis(row.at, { zone }).toISO({ suppressMilliseconds: true }),
              actorName,
              row.member_role ?? row.actor_role,
              row.action,
              patient,
              row.ip,
              row.user_agent,
            ]);
          }
          if (rows.length < PAGE) return;
          after = rows.at(-1)!.seq;
        }
      }
      return { filename: `audit-${query.from}-${query.to}.csv`, lines: lines() };
    },
  };
}

export type AuditExportService = ReturnType<typeof createAuditExportService>;
