import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../clock/clock';
import type { Store } from '../db/store';

/**
 * Envelope encryption for health data at rest. A 256-bit master key (from MISSIVE_MASTER_KEY or a key file)
 * wraps data keys kept in the data_keys table; records are encrypted with the active data key using
 * AES-256-GCM, a random 96-bit nonce per record, and associated data binding the ciphertext to its row.
 *
 * Record layout: version (1) | data key id (16, UUID bytes) | nonce (12) | tag (16) | ciphertext.
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
  readonly activeKeyId: string;
}

export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update(masterKey).digest('hex').slice(0, 16);
}

/** Loads the master key from configuration, or from (creating on first start) a key file readable only by its owner. */
export async function loadMasterKey(configured: string | undefined, keyFile: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'base64');
  try {
    const stored = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64');
    if (stored.length !== 32) throw new Error(`Master key file ${keyFile} does not hold 32 bytes`);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(dirname(keyFile), { recursive: true });
  await writeFile(keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(keyFile, 0o600);
  return key;
}

function seal(key: Buffer, plaintext: Uint8Array, aad: Buffer): { nonce: Buffer; tag: Buffer; body: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
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

function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function openKeyring(store: Store, masterKey: Buffer, clock: Clock): Promise<Keyring> {
  const masterId = masterKeyId(masterKey);
  const dataKeys = new Map<string, Buffer>();
  const wrapAad = (id: string) => Buffer.from(`data-key:${id}`);

  const unwrap = (id: string, wrapped: Uint8Array, wrappedBy: string): Buffer => {
    if (wrappedBy !== masterId) {
      throw new Error('The master key does not match the one that protects this database');
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

  const load = async () => {
    const rows = await store.db.selectFrom('data_keys').selectAll().orderBy('created_at', 'asc').execute();
    for (const row of rows) {
      if (!dataKeys.has(row.id)) dataKeys.set(row.id, unwrap(row.id, row.wrapped_key, row.master_key_id));
    }
    return rows.filter((row) => row.retired_at === null).at(-1)?.id;
  };

  let activeKeyId = await load();
  if (!activeKeyId) {
    const id = uuidv7();
    const key = randomBytes(32);
    const { nonce, tag, body } = seal(masterKey, key, wrapAad(id));
    await store.db
      .insertInto('data_keys')
      .values({
        id,
        wrapped_key: Buffer.concat([nonce, tag, body]),
        master_key_id: masterId,
        created_at: clock.now(),
        retired_at: null,
      })
      .execute();
    dataKeys.set(id, key);
    activeKeyId = id;
  }
  const active = activeKeyId;
  const activeKey = dataKeys.get(active)!;
  const activeKeyBytes = uuidToBytes(active);

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
    activeKeyId: active,
    encrypt(plaintext, associatedData) {
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const { nonce, tag, body } = seal(activeKey, data, Buffer.from(associatedData));
      return Buffer.concat([Buffer.of(VERSION), activeKeyBytes, nonce, tag, body]);
    },
    decrypt,
    async decryptText(record, associatedData) {
      return (await decrypt(record, associatedData)).toString('utf8');
    },
  };
}
