import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock';
import { forUpdate } from '../db/dialect';
import type { Database, KeyRotationRow } from '../db/schema';
import type { Store } from '../db/store';
import { uuidv7 } from '../ids';
import { vapidKeyAad } from '../push/web-push';
import { type Keyring, uuidToBytes } from './keyring';

interface EncryptedTable {
  table: string;
  columns: readonly string[];
  /** Rows per batch, when the default would hold too much in memory. */
  batch?: number;
  /** Associated data of a record, when it is not the usual `<table>.<column>:<row id>`. */
  aad?: (column: string, id: string) => string;
}

/**
 * Every column the keyring encrypts, by table; every table here has a text primary key `id`. A new
 * encrypted column must be added here, or key rotation leaves its records on the old key (the
 * integration test scans every binary column of every table to catch it).
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedTable[] = [
  { table: 'messages', columns: ['body'] },
  { table: 'conversations', columns: ['subject'] },
  // Up to 10 MB each: fewer per batch, so that a batch stays small in memory and short in its transaction.
  { table: 'attachments', columns: ['name', 'data'], batch: 10 },
  { table: 'renewals', columns: ['details', 'decision_reason'] },
  { table: 'campaigns', columns: ['title', 'body'] },
  { table: 'campaign_attachments', columns: ['name', 'data'], batch: 10 },
  { table: 'users', columns: ['totp_secret'] },
  { table: 'outbox', columns: ['payload'] },
  { table: 'push_subscriptions', columns: ['keys'] },
  { table: 'web_push_keys', columns: ['private_key'], aad: (_column, id) => vapidKeyAad(id) },
];

const BATCH = 100;
const LEASE_MS = 30_000;

export interface KeyRotationProgress {
  id: string;
  status: KeyRotationRow['status'];
  dataKeyId: string;
  startedAt: number;
  finishedAt: number | null;
  /** Rows holding records of an older key when the rotation started. */
  total: number;
  processed: number;
  reencrypted: number;
  unreadable: number;
  pass: number;
  /** 0–100; 100 only once the job has verified that no record of an older key is left. */
  percent: number;
}

export type RotationStep = 'idle' | 'working' | 'settling' | 'busy' | 'done';

export interface KeyRotation {
  /**
   * New data key (and, if the master key changed, every data key re-wrapped with the new one), then a
   * re-encryption job. A rotation still running is superseded: the new job re-encrypts to the newest key.
   */
  start(): Promise<{ progress: KeyRotationProgress; rewrappedFrom: string[] }>;
  /** Does one batch of the running rotation, if this process holds (or can take) its lease. */
  step(): Promise<RotationStep>;
  /** Runs batches until the rotation is done, settling, or held by another process. */
  runDue(options?: { signal?: AbortSignal }): Promise<RotationStep>;
  /** The running rotation, or else the last one. */
  progress(): Promise<KeyRotationProgress | null>;
}

function toProgress(row: KeyRotationRow): KeyRotationProgress {
  const done = row.status === 'done';
  const ratio = row.total === 0 ? 1 : Math.min(1, row.processed / row.total);
  return {
    id: row.id,
    status: row.status,
    dataKeyId: row.data_key_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    total: row.total,
    processed: row.processed,
    reencrypted: row.reencrypted,
    unreadable: row.unreadable,
    pass: row.pass,
    percent: done ? 100 : Math.min(99, Math.floor(ratio * 100)),
  };
}

/**
 * Records of another data key than `keyId`, found from their header in SQL (the same expression on SQLite
 * and PostgreSQL), so that neither a pass nor the final check reads records that are already current.
 */
function otherKey(columns: readonly string[], keyId: string) {
  const keyBytes = uuidToBytes(keyId);
  return sql<boolean>`(${sql.join(
    columns.map((c) => sql`(${sql.ref(c)} is not null and substr(${sql.ref(c)}, 2, 16) <> ${keyBytes})`),
    sql` or `,
  )})`;
}

async function countOnOtherKeys(db: Kysely<Database>, keyId: string): Promise<number> {
  let total = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    const row = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)} where ${otherKey(columns, keyId)}`.execute(db);
    total += Number(row.rows[0]?.n ?? 0);
  }
  return total;
}

export function createKeyRotation(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  logger: Logger;
  /** How long instances may still write with the previous key: the job does not finish sooner after it starts. */
  settleMs: number;
}): KeyRotation {
  const { store, keys, clock, logger, settleMs } = deps;
  const db = store.db;
  const owner = randomUUID();

  const latest = (trx: Kysely<Database>) =>
    trx.selectFrom('key_rotations').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1);

  async function reencryptBatch(
    trx: Kysely<Database>,
    rotation: KeyRotationRow,
  ): Promise<{ rows: number; reencrypted: number; unreadable: number; lastId: string | null }> {
    const entry = ENCRYPTED_COLUMNS[rotation.table_index]!;
    const { table, columns } = entry;
    const limit = entry.batch ?? BATCH;
    const result = await sql<
      Record<string, unknown>
    >`select ${sql.join([sql.ref('id'), ...columns.map((c) => sql.ref(c))])} from ${sql.table(table)} where ${sql.ref('id')} > ${rotation.cursor_id} and ${otherKey(columns, rotation.data_key_id)} order by ${sql.ref('id')} limit ${limit}`.execute(
      trx,
    );
    let reencrypted = 0;
    let unreadable = 0;
    for (const row of result.rows) {
      const id = row.id as string;
      for (const column of columns) {
        const value = row[column] as Uint8Array | null;
        if (value === null || keys.keyIdOf(value) === rotation.data_key_id) continue;
        const aad = entry.aad ? entry.aad(column, id) : `${table}.${column}:${id}`;
        let plaintext: Buffer;
        try {
          plaintext = await keys.decrypt(value, aad);
        } catch {
          unreadable++;
          logger.error({ table, column, id }, 'key rotation: a record cannot be decrypted; left as it is');
          continue;
        }
        // Compare-and-set: a record the application changed meanwhile is already on the new key.
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${keys.encrypt(plaintext, aad)} where ${sql.ref('id')} = ${id} and ${sql.ref(column)} = ${value}`.execute(
          trx,
        );
        reencrypted++;
      }
    }
    return {
      rows: result.rows.length,
      reencrypted,
      unreadable,
      lastId: (result.rows.at(-1)?.id as string | undefined) ?? null,
    };
  }

  async function step(): Promise<RotationStep> {
    const running = await latest(db).where('status', '=', 'running').executeTakeFirst();
    if (!running) return 'idle';
    // This process must encrypt with the rotation's key before it re-encrypts anything.
    if (keys.activeKeyId !== running.data_key_id) await keys.refresh();
    if (keys.activeKeyId !== running.data_key_id) return 'busy';
    return db.transaction().execute(async (trx) => {
      const now = clock.now();
      const rotation = await forUpdate(
        trx.selectFrom('key_rotations').selectAll().where('id', '=', running.id),
        store.dialect,
      ).executeTakeFirstOrThrow();
      if (rotation.status !== 'running') return 'idle';
      if (rotation.lease_owner !== owner && rotation.lease_until !== null && rotation.lease_until > now)
        return 'busy';
      const lease = { lease_owner: owner, lease_until: now + LEASE_MS, updated_at: now };

      if (rotation.table_index >= ENCRYPTED_COLUMNS.length) {
        // End of a pass: anything still on another key was written by a process that had not yet switched
        // (or is a record this pass could not decrypt, which another pass would not change).
        const remaining = await countOnOtherKeys(trx, rotation.data_key_id);
        if (remaining > rotation.unreadable) {
          await trx
            .updateTable('key_rotations')
            .set({ ...lease, pass: rotation.pass + 1, table_index: 0, cursor_id: '', unreadable: 0 })
            .where('id', '=', rotation.id)
            .execute();
          return 'working';
        }
        if (now < rotation.started_at + settleMs) {
          await trx.updateTable('key_rotations').set(lease).where('id', '=', rotation.id).execute();
          return 'settling';
        }
        await trx
          .updateTable('key_rotations')
          .set({
            status: 'done',
            finished_at: now,
            updated_at: now,
            lease_owner: null,
            lease_until: null,
            processed: Math.max(rotation.processed, rotation.total),
          })
          .where('id', '=', rotation.id)
          .execute();
        logger.info({ rotation: rotation.id, reencrypted: rotation.reencrypted }, 'key rotation finished');
        return 'done';
      }

      const batch = await reencryptBatch(trx, rotation);
      await trx
        .updateTable('key_rotations')
        .set({
          ...lease,
          ...(batch.lastId === null
            ? { table_index: rotation.table_index + 1, cursor_id: '' }
            : { cursor_id: batch.lastId }),
          processed: rotation.processed + batch.rows,
          reencrypted: rotation.reencrypted + batch.reencrypted,
          unreadable: rotation.unreadable + batch.unreadable,
        })
        .where('id', '=', rotation.id)
        .execute();
      return 'working';
    });
  }

  return {
    async start() {
      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const { dataKeyId, rewrappedFrom } = await keys.rotate(trx);
        await trx
          .updateTable('key_rotations')
          .set({
            status: 'superseded',
            finished_at: now,
            updated_at: now,
            lease_owner: null,
            lease_until: null,
          })
          .where('status', '=', 'running')
          .execute();
        const row: KeyRotationRow = {
          id: uuidv7(),
          data_key_id: dataKeyId,
          status: 'running',
          pass: 1,
          table_index: 0,
          cursor_id: '',
          total: await countOnOtherKeys(trx, dataKeyId),
          processed: 0,
          reencrypted: 0,
          unreadable: 0,
          lease_owner: null,
          lease_until: null,
          started_at: now,
          updated_at: now,
          finished_at: null,
        };
        await trx.insertInto('key_rotations').values(row).execute();
        return { row, rewrappedFrom };
      });
      await keys.refresh();
      logger.info({ rotation: result.row.id, rows: result.row.total }, 'key rotation started');
      return { progress: toProgress(result.row), rewrappedFrom: result.rewrappedFrom };
    },

    step,

    async runDue(options = {}) {
      for (;;) {
        if (options.signal?.aborted) return 'busy';
        const outcome = await step();
        if (outcome !== 'working') return outcome;
        // Let requests through between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },

    async progress() {
      const row =
        (await latest(db).where('status', '=', 'running').executeTakeFirst()) ??
        (await latest(db).executeTakeFirst());
      return row ? toProgress(row) : null;
    },
  };
}
