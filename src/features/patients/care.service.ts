import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { ImportPreview, MyPractitioner, PracticePatient } from '../../contracts/care';
import { matchKey, maySeeProfileItem } from '../../domain/care';
import { type ImportProblem, type ImportRow, validateImport } from '../../domain/consultation-import';
import type { Clock } from '../../platform/clock/clock';
import { hashToken, newToken } from '../../platform/crypto/tokens';
import type {
  CareRelationshipRow,
  Database,
  PatientInvitationRow,
  PatientProfileRow,
  PracticePatientRow,
} from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { Outbox } from '../../platform/outbox/outbox';
import type { QueuedMail } from '../../platform/runtime';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './care.repository';
import { type PatientsService, profileFacts } from './patients.service';

const INVITATION_TTL = 30 * 24 * 3_600_000;
const MAX_LISTED_ERRORS = 200;

export interface CareDeps {
  store: Store;
  clock: Clock;
  outbox: Outbox;
  accounts: AccountsService;
  practices: PracticesService;
  patients: PatientsService;
}

export type CareService = ReturnType<typeof createCareService>;

/**
 * The practice's side of the care relationship: its patient records, consultations (from attended
 * appointments or an import of past consultations), tags, and invitations to link an account.
 */
export function createCareService(deps: CareDeps) {
  const { store, clock, outbox, accounts, practices, patients } = deps;
  const db = store.db;

  async function requirePractitionerOf(practiceId: string, practitionerId: string) {
    const member = await practices.findMember(practiceId, practitionerId);
    if (member?.role !== 'practitioner')
      throw new AppError('MISSIVE_VALIDATION', [
        { path: 'practitionerId', reason: 'not_a_practitioner_of_this_practice' },
      ]);
  }

  function parseCsv(text: string): { rows: ImportRow[]; problems: ImportProblem[] } {
    let records: string[][];
    try {
      records = parse(text, {
        bom: true,
        delimiter: [',', ';', '\t'],
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      });
    } catch {
      return { rows: [], problems: [{ line: 1, field: 'file', reason: 'unreadable' }] };
    }
    const today = DateTime.fromMillis(clock.now(), { zone: 'Europe/Paris' }).toISODate()!;
    return validateImport(records, today);
  }

  return {
    lastConsultation: (profileId: string, practitionerId: string, practiceId: string) =>
      repo.lastConsultation(db, profileId, practitionerId, practiceId),

    /** An attended appointment makes (or refreshes) the care relationship, linking the profile to the practice's record. */
    async recordConsultation(
      trx: Kysely<Database>,
      input: { practiceId: string; practitionerId: string; profile: PatientProfileRow; at: number },
    ) {
      const now = clock.now();
      let record = await repo.findRecordByProfile(trx, input.practiceId, input.profile.id);
      if (!record) {
        const { profile } = input;
        record = {
          id: uuidv7(),
          practice_id: input.practiceId,
          patient_profile_id: profile.id,
          first_name: profile.first_name,
          last_name: profile.last_name,
          birth_date: profile.birth_date,
          email: null,
          match_key: matchKey(profile.last_name, profile.first_name, profile.birth_date),
          tags: '[]',
          created_at: now,
          updated_at: now,
        };
        await repo.insertRecords(trx, [record]);
      }
      await repo.upsertRelationships(
        trx,
        [
          {
            practice_patient_id: record.id,
            practitioner_user_id: input.practitionerId,
            practice_id: input.practiceId,
            first_consultation_at: input.at,
            last_consultation_at: input.at,
            source: 'appointment',
            updated_at: now,
          },
        ],
        store.dialect,
      );
    },

    async listPatients(
      auth: AuthContext,
      practiceId: string,
      query: { q?: string | undefined; tag?: string | undefined; offset: number; limit: number },
      actor: Actor,
    ) {
      await practices.requireRight(auth, practiceId, 'patients');
      const [count, rows] = await repo.listRecords(db, practiceId, query, query.offset, query.limit);
      const ids = rows.map((r) => r.id);
      const [relationships, invited, tagRows] = await Promise.all([
        repo.relationshipsOfRecords(db, ids),
        repo.pendingInvitationsOf(db, ids, clock.now()),
        repo.allTags(db, practiceId),
      ]);
      const invitedIds = new Set(invited.map((i) => i.practice_patient_id));
      const tags = [...new Set(tagRows.flatMap((r) => JSON.parse(r.tags) as string[]))].sort();
      const patientsList: PracticePatient[] = rows.map((row) => {
        const mine = relationships.filter((r) => r.practice_patient_id === row.id);
        return {
          id: row.id,
          firstName: row.first_name,
          lastName: row.last_name,
          birthDate: row.birth_date,
          linked: row.patient_profile_id !== null,
          patientProfileId: row.patient_profile_id,
          invited: invitedIds.has(row.id),
          lastConsultationAt: mine.length ? Math.max(...mine.map((r) => r.last_consultation_at)) : null,
          practitioners: mine.map((r) => ({
            id: r.practitioner_user_id,
            name: `${r.first_name} ${r.last_name}`,
            lastConsultationAt: r.last_consultation_at,
          })),
          tags: JSON.parse(row.tags) as string[],
        };
      });
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice_patients.listed',
            targetType: 'practice',
            targetId: practiceId,
            practiceId,
            details: { count: rows.length },
          },
          clock.now(),
        ),
      );
      return { total: Number(count.n), patients: patientsList, tags };
    },

    async updateTags(
      auth: AuthContext,
      practiceId: string,
      patientId: string,
      tags: string[],
      actor: Actor,
    ): Promise<string[]> {
      await practices.requireRight(auth, practiceId, 'patients');
      const record = await repo.findRecord(db, practiceId, patientId);
      if (!record) throw new AppError('MISSIVE_NOT_FOUND');
      const unique = [...new Set(tags)].sort();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updateRecord(trx, patientId, { tags: JSON.stringify(unique), updated_at: now });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice_patient.tags_updated',
            targetType: 'practice_patient',
            targetId: patientId,
            practiceId,
            patientProfileId: record.patient_profile_id,
          },
          now,
        );
      });
      return unique;
    },

    async previewImport(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      csv: string,
    ): Promise<ImportPreview> {
      await practices.requireRight(auth, practiceId, 'patients');
      await requirePractitionerOf(practiceId, practitionerId);
      const { rows, problems } = parseCsv(csv);
      return {
        totalRows: rows.length + new Set(problems.filter((p) => p.line > 1).map((p) => p.line)).size,
        validRows: rows.length,
        errors: problems.slice(0, MAX_LISTED_ERRORS),
        errorCount: problems.length,
        sample: rows.slice(0, 20).map(({ matchKey: _, ...row }) => row),
      };
    },

    /**
     * Imports past consultations all-or-nothing: any invalid row refuses the whole file. Existing records
     * (same name and birth date) are refreshed; new ones are created unlinked, and those with an e-mail get
     * an invitation to link their Missive account, sent through the outbox.
     */
    async commitImport(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      csv: string,
      actor: Actor,
    ) {
      await practices.requireRight(auth, practiceId, 'patients');
      await requirePractitionerOf(practiceId, practitionerId);
      const { rows, problems } = parseCsv(csv);
      if (problems.length > 0) {
        throw new AppError(
          'MISSIVE_IMPORT_INVALID',
          problems.slice(0, 50).map((p) => ({ path: `line ${p.line}.${p.field}`, reason: p.reason })),
        );
      }
      const practice = (await practices.findPractice(practiceId))!;
      const zone = practice.time_zone;
      const now = clock.now();
      let created = 0;
      let invitations = 0;
      await db.transaction().execute(async (trx) => {
        const existing = new Map<string, { id: string; patient_profile_id: string | null }>();
        for (let i = 0; i < rows.length; i += 500) {
          for (const r of await repo.recordsByMatchKeys(
            trx,
            practiceId,
            rows.slice(i, i + 500).map((row) => row.matchKey),
          ))
            existing.set(r.match_key, r);
        }
        const newRecords: PracticePatientRow[] = [];
        const relationships: CareRelationshipRow[] = [];
        const invitationRows: PatientInvitationRow[] = [];
        const mails: QueuedMail[] = [];
        for (const row of rows) {
          let record = existing.get(row.matchKey);
          if (!record) {
            const id = uuidv7();
            newRecords.push({
              id,
              practice_id: practiceId,
              patient_profile_id: null,
              first_name: row.firstName,
              last_name: row.lastName,
              birth_date: row.birthDate,
              email: row.email,
              match_key: row.matchKey,
              tags: '[]',
              created_at: now,
              updated_at: now,
            });
            record = { id, patient_profile_id: null };
            if (row.email) {
              const token = newToken();
              invitationRows.push({
                id: uuidv7(),
                practice_patient_id: id,
                token_hash: hashToken(token),
                created_at: now,
                expires_at: now + INVITATION_TTL,
                accepted_at: null,
                accepted_by_user_id: null,
              });
              mails.push({
                to: row.email,
                locale: practice.country === 'IT' ? 'it' : 'fr',
                template: {
                  kind: 'patient_invitation',
                  practiceName: practice.name,
                  link: accounts.link('/patient-invitation', token),
                },
              });
            }
          }
          const at = DateTime.fromISO(row.lastConsultationOn, { zone }).startOf('day').toMillis();
          relationships.push({
            practice_patient_id: record.id,
            practitioner_user_id: practitionerId,
            practice_id: practiceId,
            first_consultation_at: at,
            last_consultation_at: at,
            source: 'import',
            updated_at: now,
          });
        }
        await repo.insertRecords(trx, newRecords);
        await repo.upsertRelationships(trx, relationships, store.dialect);
        await repo.insertInvitations(trx, invitationRows);
        await outbox.enqueueMany(trx, 'mail', mails);
        created = newRecords.length;
        invitations = invitationRows.length;
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'consultations.imported',
            targetType: 'practice',
            targetId: practiceId,
            practiceId,
            details: { rows: rows.length, created, invitations, practitionerId },
          },
          now,
        );
      });
      outbox.wake();
      return { imported: rows.length, created, updated: rows.length - created, invitations };
    },

    async previewInvitation(token: string) {
      const invitation = await repo.findLiveInvitation(db, hashToken(token), clock.now());
      if (!invitation || invitation.patient_profile_id !== null) throw new AppError('MISSIVE_INVALID_TOKEN');
      return {
        practiceName: invitation.practice_name,
        firstName: invitation.first_name,
        lastName: invitation.last_name,
        birthDate: invitation.birth_date,
      };
    },

    /**
     * A patient accepts an invitation from their mailbox: the practice's record is linked to one of their
     * profiles (same birth date required) or to a new relative profile made from the record.
     */
    async acceptInvitation(
      auth: AuthContext,
      body: {
        token: string;
        patientProfileId?: string | undefined;
        createRelative?: 'child' | 'dependent' | undefined;
      },
      actor: Actor,
    ): Promise<{ patientProfileId: string }> {
      if (auth.user.kind !== 'patient') throw new AppError('MISSIVE_NOT_FOUND');
      if (Boolean(body.patientProfileId) === Boolean(body.createRelative)) {
        throw new AppError('MISSIVE_VALIDATION', [
          { path: 'patientProfileId', reason: 'exactly_one_of_patientProfileId_createRelative' },
        ]);
      }
      const tokenHash = hashToken(body.token);
      const invitation = await repo.findLiveInvitation(db, tokenHash, clock.now());
      if (!invitation || invitation.patient_profile_id !== null) throw new AppError('MISSIVE_INVALID_TOKEN');
      let profileId: string;
      if (body.patientProfileId) {
        const profile = await patients.requireProfile(auth.user.id, body.patientProfileId);
        if (profile.birth_date !== invitation.birth_date)
          throw new AppError('MISSIVE_CONFLICT', [
            { path: 'patientProfileId', reason: 'birth_date_mismatch' },
          ]);
        if (await repo.findRecordByProfile(db, invitation.practice_id, profile.id))
          throw new AppError('MISSIVE_CONFLICT', [{ path: 'patientProfileId', reason: 'already_linked' }]);
        profileId = profile.id;
      } else {
        const relative = await patients.createRelative(
          auth,
          {
            relationship: body.createRelative!,
            firstName: invitation.first_name,
            lastName: invitation.last_name,
            birthDate: invitation.birth_date,
          },
          actor,
        );
        profileId = relative.id;
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.markInvitationAccepted(trx, invitation.id, auth.user.id, now)))
          throw new AppError('MISSIVE_INVALID_TOKEN');
        await repo.updateRecord(trx, invitation.practice_patient_id, {
          patient_profile_id: profileId,
          updated_at: now,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice_patient.linked',
            targetType: 'practice_patient',
            targetId: invitation.practice_patient_id,
            practiceId: invitation.practice_id,
            patientProfileId: profileId,
          },
          now,
        );
      });
      return { patientProfileId: profileId };
    },

    /** Practitioners the user (or a relative they manage) has consulted: the list messaging uses. */
    async myPractitioners(auth: AuthContext): Promise<MyPractitioner[]> {
      const profiles = await patients.profilesOf(auth.user.id);
      const facts = new Map(profiles.map((p) => [p.id, profileFacts(p)]));
      const rows = await repo.practitionersOfProfiles(
        db,
        profiles.map((p) => p.id),
      );
      // Confidential mode: a parent does not learn of a consultation their teenager had after taking their
      // own account (nor of its date, for a practitioner seen before).
      const visible = rows.filter((r) =>
        maySeeProfileItem(auth.user.id, facts.get(r.profile_id)!, {
          createdByUserId: r.practitioner_user_id,
          createdAt: r.last_consultation_at,
        }),
      );
      return visible.map((r) => ({
        practitionerId: r.practitioner_user_id,
        firstName: r.first_name,
        lastName: r.last_name,
        specialty: r.specialty,
        practiceId: r.practice_id,
        practiceName: r.practice_name,
        city: r.city,
        timeZone: r.time_zone,
        patientProfileId: r.profile_id,
        patientName: `${r.profile_first_name} ${r.profile_last_name}`,
        lastConsultationAt: r.last_consultation_at,
      }));
    },
  };
}
