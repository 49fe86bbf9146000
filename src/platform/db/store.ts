import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema';
import { FairMutex, splitSqliteDialect, type WriterLock, writeAheadLogSync } from './sqlite-driver';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  /** Dialect-specific column type for binary data. */
  readonly binaryType: 'blob' | 'bytea';
  /** PostgreSQL schema the store lives in (undefined on SQLite). */
  readonly schema: string | undefined;
  /**
   * Turns between this process's writers, lent to a worker thread that writes (its writes come as
   * background ones, which let waiting interactive ones go first). On SQLite every write transaction takes
   * it (one writer at a time). On PostgreSQL it is taken around the transactions that take the audit
   * chain's head in bulk — batches of the group commit, batches of a campaign's fan-out — which the head
   * serialises anyway: the lock decides who goes next, so that interactive sends are not queued behind a
   * series of campaign batches.
   */
  readonly writerLock: WriterLock;
  /**
   * On SQLite, whether this process's commits copy the write-ahead log back into the database file once it
   * has grown (SQLite's automatic checkpoint, on by default). A process that hands the checkpoints to a
   * worker thread turns it off, so that no request waits for a checkpoint. No-op on PostgreSQL.
   */
  setAutoCheckpoint(enabled: boolean): void;
  /** On SQLite, copies what it can of the write-ahead log into the database file without blocking anyone. */
  checkpoint(): void;
  ping(): Promise<void>;
  /**
   * Online, consistent copy of the embedded database to a file (SQLite's backup API: writers are not
   * blocked). PostgreSQL deployments use pg_dump instead (docs/deployment.md).
   */
  backupTo(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… to use PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string | undefined;
  sqlitePath: string;
  /** PostgreSQL schema to use (tests isolate themselves in their own schema). */
  pgSchema?: string | undefined;
  pgPoolSize?: number;
  /**
   * Take this writer lock instead of one of this store's own: a worker thread passes the lock it borrows
   * from its process.
   */
  writerLock?: WriterLock;
}

export function openStore(options: StoreOptions): Store {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : openSqlite(options.sqlitePath, options.writerLock ?? new FairMutex());
}

function openSqlite(path: string, writerLock: WriterLock): Store {
  const connection = new Database(path);
  const inMemory = path === ':memory:';
  // Write-ahead log: readers never block the writer. A committed message must survive a power cut: every
  // commit is acknowledged only once the log is on disk. SQLite would sync it itself (synchronous=FULL),
  // blocking the event loop for the whole sync; the driver has it synced on the thread pool instead, and
  // SQLite keeps the syncs that protect the file's integrity at checkpoints (synchronous=NORMAL).
  connection.pragma('journal_mode = WAL');
  connection.pragma(`synchronous = ${inMemory ? 'FULL' : 'NORMAL'}`);
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // A second connection for plain reads (see sqlite-driver); an in-memory database has only one.
  const reader = inMemory ? connection : new Database(path);
  if (reader !== connection) {
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
  }
  const durable = inMemory ? async () => {} : writeAheadLogSync(`${path}-wal`);
  const db = new Kysely<Schema>({ dialect: splitSqliteDialect(connection, reader, writerLock, durable) });
  return {
    db,
    dialect: 'sqlite',
    binaryType: 'blob',
    schema: undefined,
    writerLock,
    async ping() {
      await sql`select 1`.execute(db);
    },
    setAutoCheckpoint(enabled) {
      connection.pragma(`wal_autocheckpoint = ${enabled ? 1_000 : 0}`);
    },
    checkpoint() {
      connection.pragma('wal_checkpoint(PASSIVE)');
    },
    async backupTo(path) {
      await connection.backup(path);
    },
    async close() {
      await db.destroy();
    },
  };
}

// Epoch milliseconds are stored as bigint: parse them as numbers (safe up to 2^53) rather than strings.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Statements with more parameters than this (lists of ids, say) vary in text and are not kept prepared. */
const MAX_PREPARED_PARAMETERS = 64;
/** Distinct statement texts a process keeps prepared, on each connection that runs them. */
const MAX_PREPARED_STATEMENTS = 400;
/** PostgreSQL's error when a kept statement's result columns changed under it (a column added by a migration). */
const CACHED_PLAN_CHANGED = '0A000';

/**
 * Keeps the statements the server runs over and over prepared on each connection (named statements):
 * PostgreSQL then parses each once per connection and, after a few runs, reuses its plan, where an unnamed
 * statement is parsed and planned on every run (a third of a millisecond or more for the conversation
 * lookup of a send). Only statements with a few parameters are kept, and a bounded number of them.
 *
 * If a migration run by another instance changes the columns a kept statement returns, PostgreSQL refuses
 * to run it; the statement is then prepared again under a new name, at once outside a transaction (the
 * caller sees nothing), or by the next caller when the refusal ended the caller's transaction.
 */
function keepStatementsPrepared(pool: pg.Pool): void {
  const names = new Map<string, string>();
  let made = 0;
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name && names.size < MAX_PREPARED_STATEMENTS) {
      name = `missive_${(made++).toString(36)}`;
      names.set(text, name);
    }
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let inTransaction = false;
    const prepared = async (text: string, values: unknown[], retry: boolean): Promise<unknown> => {
      const name = nameOf(text);
      if (!name) return query(text, values);
      try {
        return await query({ name, text, values });
      } catch (error) {
        if ((error as { code?: string }).code !== CACHED_PLAN_CHANGED) throw error;
        if (names.get(text) === name) names.delete(text);
        if (retry && !inTransaction) return prepared(text, values, true);
        throw error;
      }
    };
    client.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && args.length === 2 && Array.isArray(values)) {
        if (values.length > 0 && values.length <= MAX_PREPARED_PARAMETERS)
          return prepared(text, values, true);
        // Kysely opens and ends transactions with plain statements on the connection.
        if (/^(begin|start transaction)\b/i.test(text)) inTransaction = true;
        else if (/^(commit|rollback)$/i.test(text)) inTransaction = false;
      }
      return query(...args);
    }) as typeof client.query;
  });
}

function openPostgres(url: string, options: StoreOptions): Store {
  if (options.pgSchema && !/^[a-z_][a-z0-9_]*$/.test(options.pgSchema))
    throw new Error('Invalid PostgreSQL schema name');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    types: pgTypes as pg.CustomTypesConfig,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  keepStatementsPrepared(pool);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    binaryType: 'bytea',
    schema: options.pgSchema ?? 'public',
    writerLock: options.writerLock ?? new FairMutex(),
    async ping() {
      await sql`select 1`.execute(db);
    },
    setAutoCheckpoint() {},
    checkpoint() {},
    async backupTo() {
      throw new Error('Back up PostgreSQL with pg_dump (see docs/deployment.md)');
    },
    async close() {
      await db.destroy();
    },
  };
}
