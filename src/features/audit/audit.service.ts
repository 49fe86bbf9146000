import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { executeTogether, type Statement } from '../../platform/db/dialect';
import type { AuditLogRow, Database } from '../../platform/db/schema';
import type { Dialect } from '../../platform/db/store';
import { uuidv7 } from '../../platform/ids';
import { appendStatements, readAnchor, readChunk, readHead, reserveHead } from './audit.repository';

/** Who did something, from where. Built once per request by the HTTP layer. */
export interface Actor {
  userId: string | null;
  /** patient, practitioner, assistant, admin, system, anonymous */
  role: string;
  ip: string | null;
  userAgent: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system', ip: null, userAgent: null };

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  practiceId?: string | null;
  patientProfileId?: string | null;
  /** Ids and codes only: never message text, names of files, or other health content. */
  details?: Record<string, string | number | boolean | null>;
}

type Hashable = Omit<AuditLogRow, 'hash'>;

function entryHash(row: Hashable): string {
  const canonical = JSON.stringify([
    row.seq,
    row.id,
    row.at,
    row.actor_user_id,
    row.actor_role,
    row.action,
    row.target_type,
    row.target_id,
    row.practice_id,
    row.patient_profile_id,
    row.ip,
    row.user_agent,
    row.details,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Appends one entry to the hash-chained audit log. Must run inside the transaction that makes the change,
 * so that the change and its trace commit together. The head row lock orders concurrent writers.
 */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: Dialect,
  actor: Actor,
  entry: AuditEntry,
  at: number,
): Promise<number> {
  const [seq] = await appendAuditEntries(trx, dialect, [{ actor, entry }], at);
  return seq!;
}

/**
 * Appends many entries with one head lock and multi-row inserts, chained exactly as if appended one by
 * one. Returns their sequence numbers, in order. The chain's sequence is allocated under the head lock,
 * so it follows commit order: changes use it as their cursor.
 */
export async function appendAuditEntries(
  trx: Kysely<Database>,
  dialect: Dialect,
  entries: readonly { actor: Actor; entry: AuditEntry }[],
  at: number,
): Promise<number[]> {
  const { seqs, statements } = await chainAuditEntries(trx, dialect, entries, at);
  await executeTogether(trx, dialect, statements);
  return seqs;
}

/**
 * appendAuditEntries for a caller that writes rows carrying the new sequences (as change cursors): takes
 * the head and returns the sequences with the statements that write the entries, for the caller to run
 * together with its own (see executeTogether). The head stays locked from here to the commit, so it is
 * best taken last, with everything else of the transaction already written.
 */
export async function chainAuditEntries(
  trx: Kysely<Database>,
  dialect: Dialect,
  entries: readonly { actor: Actor; entry: AuditEntry }[],
  at: number,
): Promise<{ seqs: number[]; statements: Statement[] }> {
  if (entries.length === 0) return { seqs: [], statements: [] };
  const head = await reserveHead(trx, entries.length);
  const rows: AuditLogRow[] = [];
  let previous = head.hash;
  entries.forEach(({ actor, entry }, index) => {
    const row: Hashable = {
      seq: head.seq + 1 + index,
      id: uuidv7(),
      at,
      actor_user_id: actor.userId,
      actor_role: actor.role,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      practice_id: entry.practiceId ?? null,
      patient_profile_id: entry.patientProfileId ?? null,
      ip: actor.ip,
      user_agent: actor.userAgent,
      details: JSON.stringify(entry.details ?? {}),
      prev_hash: previous,
    };
    previous = entryHash(row);
    rows.push({ ...row, hash: previous });
  });
  return { seqs: rows.map((row) => row.seq), statements: appendStatements(trx, dialect, rows) };
}

export type AuditVerification =
  | { ok: true; entries: number; fromSeq: number }
  | {
      ok: false;
      entries: number;
      brokenAtSeq: number;
      reason: 'hash_mismatch' | 'broken_link' | 'missing_entries' | 'unrecorded_truncation';
    };

/**
 * Walks the whole chain and reports the first entry whose hash or link does not match. After retention
 * removed old entries, the walk starts from the anchor (the last removed entry's seq and hash), which an
 * `audit.retention_applied` entry of the chain must record: an anchor moved by hand is a break.
 */
export async function verifyAuditChain(db: Kysely<Database>, chunkSize = 5_000): Promise<AuditVerification> {
  const anchor = await readAnchor(db);
  let previousHash = anchor.hash;
  let expectedSeq = anchor.seq + 1;
  let entries = 0;
  let anchorRecorded = anchor.seq === 0;
  for (;;) {
    const rows = await readChunk(db, expectedSeq - 1, chunkSize);
    for (const row of rows) {
      if (!anchorRecorded && row.action === 'audit.retention_applied') {
        const details = JSON.parse(row.details) as { throughSeq?: number; throughHash?: string };
        anchorRecorded = details.throughSeq === anchor.seq && details.throughHash === anchor.hash;
      }
      if (row.seq !== expectedSeq)
        return { ok: false, entries, brokenAtSeq: expectedSeq, reason: 'missing_entries' };
      if (row.prev_hash !== previousHash)
        return { ok: false, entries, brokenAtSeq: row.seq, reason: 'broken_link' };
      const { hash, ...rest } = row;
      if (entryHash(rest) !== hash)
        return { ok: false, entries, brokenAtSeq: row.seq, reason: 'hash_mismatch' };
      previousHash = hash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < chunkSize) break;
  }
  if (!anchorRecorded)
    return { ok: false, entries, brokenAtSeq: anchor.seq + 1, reason: 'unrecorded_truncation' };
  // Entries removed from the end of the chain are detected against the head.
  const head = await readHead(db);
  if (head.seq !== anchor.seq + entries || head.hash !== previousHash) {
    return { ok: false, entries, brokenAtSeq: anchor.seq + entries + 1, reason: 'missing_entries' };
  }
  return { ok: true, entries, fromSeq: anchor.seq + 1 };
}
