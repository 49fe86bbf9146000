import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock/clock';
import type { Database } from '../db/schema';
import type { Store } from '../db/store';
import { uuidv7 } from '../ids';
import { pooledRandomBytes } from './random';

/**
 * Envelope encryption for health data at rest. A 256-bit master key (from MISSIVE_MASTER_KEY or a key file)
 * wraps data keys kept in the data_keys table; records are encrypted with the active data key using
 * AES-256-GCM, a random 96-bit nonce per record, and associated data binding the ciphertext to its row.
 *
 * Record layout: version (1) | data key id (16, UUID bytes) | nonce (12) | tag (16) | ciphertext.
 * Every record names its data key, so records of several keys coexist while a rotation re-encrypts them
 * (see key-rotation.ts); retired data keys stay in the table, wrapped by the current master key.
 */
const VERSION = 1;
const KEY_ID_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES + TAG_BYTES;

export class DecryptionError extends Error {
  constructor() {
    super('Encrypted record cannot be decrypted');
  }
}

export interface Keyring {
  encrypt(plaintext: Uint8Array | string, associatedData: string): Uint8Array;
  decrypt(record: Uint8Array, associatedData: string): Promise<Buffer>;
  decryptText(record: Uint8Array, associatedData: string): Promise<string>;
  /** The data key new records are encrypted with; changes when another process rotates the keys. */
  readonly activeKeyId: string;
  /** Id of the master key new data keys are wrapped with. */
  readonly masterKeyId: string;
  /** The data key id a record was encrypted with (read from its header), or null if it is not a record. */
  keyIdOf(record: Uint8Array): string | null;
  /** Reloads the data keys, so that a key created by another instance becomes the active one. */
  refresh(): Promise<void>;
  /**
   * Creates a new data key wrapped by the current master key, re-wraps every existing data key with that
   * master key and retires them. Runs in the caller's transaction; call refresh() after it commits.
   */
  rotate(trx: Kysely<Database>): Promise<{ dataKeyId: string; rewrappedFrom: string[] }>;
}

/**
 * The master keys a process knows. New data keys are wrapped with `current`; `known` (which includes it)
 * may unwrap older ones: the previous key during a rotation, given as MISSIVE_PREVIOUS_MASTER_KEY.
 */
export interface MasterKeys {
  current: Buffer;
  known: Buffer[];
  /** Key-file mode: reads the files again, because another process (missive rotate-keys) may have replaced them. */
  reload?: () => Promise<MasterKeys>;
}

export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update(masterKey).digest('hex').slice(0, 16);
}

/** Where the embedded mode keeps its master key, and the next one while a rotation is being committed. */
export const keyFiles = (dataDir: string) => ({
  current: join(dataDir, 'master.key'),
  next: join(dataDir, 'master.key.next'),
  retired: (id: string) => join(dataDir, `master.key.retired-${id}`),
});

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  try {
    const stored = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (stored.length !== 32) throw new Error(`Master key file ${path} does not hold 32 bytes`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes a key file readable only by its owner; never overwrites one. */
export async function writeKeyFile(path: string, key: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

/**
 * The master keys from configuration (MISSIVE_MASTER_KEY, and MISSIVE_PREVIOUS_MASTER_KEY during a rotation),
 * or else from the data directory's key file, created with owner-only permissions on first start. A
 * `master.key.next` left by a rotation becomes the current key: whether or not the rotation committed,
 * both files together unwrap every data key.
 */
export async function loadMasterKeys(
  configured: string | undefined,
  previous: string | undefined,
  dataDir: string,
): Promise<MasterKeys> {
  if (configured) {
    const current = Buffer.from(configured, 'base64');
    const known = [current];
    if (previous) known.push(Buffer.from(previous, 'base64'));
    return { current, known };
  }
  const files = keyFiles(dataDir);
  const readFiles = async () =>
    [await readKeyFile(files.next), await readKeyFile(files.current)].filter(
      (k): k is Buffer => k !== undefined,
    );
  let known = await readFiles();
  if (known.length === 0) {
    await writeKeyFile(files.current, randomBytes(32));
    known = await readFiles();
  }
  const fromFiles = (keys: Buffer[]): MasterKeys => ({
    current: keys[0]!,
    known: keys,
    // A key file that disappeared while running is not replaced: the keys already read are kept.
    reload: async () => {
      const again = await readFiles();
      return fromFiles(again.length > 0 ? again : keys);
    },
  });
  return fromFiles(known);
}

/**
 * Embedded mode, first half of a master key rotation: the new key is written as `master.key.next` before
 * any data key depends on it (a file left by an interrupted rotation is reused).
 */
export async function prepareKeyFileRotation(dataDir: string): Promise<void> {
  try {
    await writeKeyFile(keyFiles(dataDir).next, randomBytes(32));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Second half, once the data keys are wrapped by the new key: it replaces `master.key`, and the previous
 * key is kept aside (owner-only) for the backups made before, whose data keys it still wraps.
 */
export async function completeKeyFileRotation(dataDir: string): Promise<{ retiredFile: string }> {
  const files = keyFiles(dataDir);
  const previous = await readKeyFile(files.current);
  let retiredFile = '';
  if (previous) {
    retiredFile = files.retired(masterKeyId(previous));
    try {
      await writeKeyFile(retiredFile, previous);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  await rename(files.next, files.current);
  return { retiredFile };
}

const nextNonce = () => pooledRandomBytes(NONCE_BYTES);

function seal(key: Buffer, plaintext: Uint8Array, aad: Buffer): { nonce: Buffer; tag: Buffer; body: Buffer } {
  const nonce = nextNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, tag: cipher.getAuthTag(), body };
}

function open(key: Buffer, nonce: Buffer, tag: Buffer, body: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

export function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const wrapAad = (id: string) => Buffer.from(`data-key:${id}`);

function wrap(masterKey: Buffer, id: string, key: Buffer): Buffer {
  const { nonce, tag, body } = seal(masterKey, key, wrapAad(id));
  return Buffer.concat([nonce, tag, body]);
}

export async function openKeyring(
  store: Store,
  initialMasterKeys: MasterKeys,
  clock: Clock,
): Promise<Keyring> {
  let masterKeys = initialMasterKeys;
  const masterById = () => new Map(masterKeys.known.map((key) => [masterKeyId(key), key]));
  const dataKeys = new Map<string, Buffer>();

  const unwrap = async (id: string, wrapped: Uint8Array, wrappedBy: string): Promise<Buffer> => {
    let masterKey = masterById().get(wrappedBy);
    if (!masterKey && masterKeys.reload) {
      // missive rotate-keys may have replaced the key file since this process started.
      masterKeys = await masterKeys.reload();
      masterKey = masterById().get(wrappedBy);
    }
    if (!masterKey) {
      throw new Error(
        'The master key does not match the one that protects this database (during a key rotation, give the previous one as MISSIVE_PREVIOUS_MASTER_KEY)',
      );
    }
    const buffer = Buffer.from(wrapped);
    return open(
      masterKey,
      buffer.subarray(0, NONCE_BYTES),
      buffer.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES),
      buffer.subarray(NONCE_BYTES + TAG_BYTES),
      wrapAad(id),
    );
  };

  const readRows = (db: Kysely<Database>) =>
    db.selectFrom('data_keys').selectAll().orderBy('created_at', 'asc').orderBy('id', 'asc').execute();

  let active: { id: string; key: Buffer; bytes: Buffer } | undefined;

  const load = async () => {
    const rows = await readRows(store.db);
    for (const row of rows) {
      if (!dataKeys.has(row.id))
        dataKeys.set(row.id, await unwrap(row.id, row.wrapped_key, row.master_key_id));
    }
    const id = rows.filter((row) => row.retired_at === null).at(-1)?.id;
    if (id) active = { id, key: dataKeys.get(id)!, bytes: uuidToBytes(id) };
  };

  const createDataKey = async (db: Kysely<Database>): Promise<string> => {
    const id = uuidv7();
    const key = randomBytes(32);
    await db
      .insertInto('data_keys')
      .values({
        id,
        wrapped_key: wrap(masterKeys.current, id, key),
        master_key_id: masterKeyId(masterKeys.current),
        created_at: clock.now(),
        retired_at: null,
      })
      .execute();
    dataKeys.set(id, key);
    return id;
  };

  await load();
  if (!active) {
    const id = await createDataKey(store.db);
    active = { id, key: dataKeys.get(id)!, bytes: uuidToBytes(id) };
  }

  const decrypt = async (record: Uint8Array, associatedData: string): Promise<Buffer> => {
    const buffer = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    if (buffer.length < HEADER_BYTES || buffer[0] !== VERSION) throw new DecryptionError();
    const keyId = bytesToUuid(buffer.subarray(1, 1 + KEY_ID_BYTES));
    // Another instance may have created a newer data key: load it on first sight.
    if (!dataKeys.has(keyId)) await load();
    const key = dataKeys.get(keyId);
    if (!key) throw new DecryptionError();
    const offset = 1 + KEY_ID_BYTES;
    try {
      return open(
        key,
        buffer.subarray(offset, offset + NONCE_BYTES),
        buffer.subarray(offset + NONCE_BYTES, HEADER_BYTES),
        buffer.subarray(HEADER_BYTES),
        Buffer.from(associatedData),
      );
    } catch {
      throw new DecryptionError();
    }
  };

  return {
    get activeKeyId() {
      return active!.id;
    },
    get masterKeyId() {
      return masterKeyId(masterKeys.current);
    },
    encrypt(plaintext, associatedData) {
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const { key, bytes } = active!;
      const { nonce, tag, body } = seal(key, data, Buffer.from(associatedData));
      return Buffer.concat([Buffer.of(VERSION), bytes, nonce, tag, body]);
    },
    decrypt,
    async decryptText(record, associatedData) {
      return (await decrypt(record, associatedData)).toString('utf8');
    },
    keyIdOf(record) {
      if (record.byteLength < HEADER_BYTES || record[0] !== VERSION) return null;
      return bytesToUuid(Buffer.from(record.buffer, record.byteOffset + 1, KEY_ID_BYTES));
    },
    async refresh() {
      if (masterKeys.reload) masterKeys = await masterKeys.reload();
      await load();
    },
    async rotate(trx) {
      const currentId = masterKeyId(masterKeys.current);
      const rows = await readRows(trx);
      const rewrappedFrom = new Set<string>();
      const now = clock.now();
      for (const row of rows) {
        const key = await unwrap(row.id, row.wrapped_key, row.master_key_id);
        dataKeys.set(row.id, key);
        if (row.master_key_id !== currentId) rewrappedFrom.add(row.master_key_id);
        await trx
          .updateTable('data_keys')
          .set({
            wrapped_key: wrap(masterKeys.current, row.id, key),
            master_key_id: currentId,
            retired_at: row.retired_at ?? now,
          })
          .where('id', '=', row.id)
          .execute();
      }
      const dataKeyId = await createDataKey(trx);
      return { dataKeyId, rewrappedFrom: [...rewrappedFrom] };
    },
  };
}
