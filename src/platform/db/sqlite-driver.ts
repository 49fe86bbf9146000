import { fdatasync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  type Dialect as KyselyDialect,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * Who may write next. One process holds a FairMutex; its background worker thread asks the process's mutex
 * for its turn (src/background/runner.ts). On SQLite every write transaction takes it, so that writes are
 * queued, never left to SQLite's busy wait, which would block the event loop; on PostgreSQL the writers
 * that take the audit chain's head in bulk take it (see Store.writerLock).
 */
export interface WriterLock {
  /** `background`: bulk work (a campaign's fan-out) that should let waiting interactive writes go first. */
  lock(options?: { background?: boolean }): Promise<void>;
  unlock(): void;
}

/** How long a background writer may be passed over by interactive writers before it is served anyway. */
export const BACKGROUND_MAX_WAIT_MS = 50;

/**
 * A first-come, first-served lock for interactive writers; background writers are served when no
 * interactive writer waits, or once they have waited BACKGROUND_MAX_WAIT_MS, so that none starves.
 */
export class FairMutex implements WriterLock {
  #locked = false;
  readonly #waiters: (() => void)[] = [];
  readonly #background: { since: number; resume: () => void }[] = [];

  async lock(options: { background?: boolean } = {}): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resume) => {
      if (options.background) this.#background.push({ since: performance.now(), resume });
      else this.#waiters.push(resume);
    });
  }

  unlock(): void {
    const overdue =
      this.#background.length > 0 && performance.now() - this.#background[0]!.since >= BACKGROUND_MAX_WAIT_MS;
    const next = (overdue ? undefined : this.#waiters.shift()) ?? this.#background.shift()?.resume;
    if (next) next();
    else this.#locked = false;
  }
}

/**
 * Makes what is committed durable, sharing one sync among the callers that wait together: a caller waits
 * for a sync that started after its call, never for one already running (it may predate its commit).
 */
export function coalescedSync(syncOnce: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const sync = (): Promise<void> => {
    if (!running) {
      running = syncOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  };
  return sync;
}

/**
 * Flushes an SQLite write-ahead log file to disk (fdatasync) on libuv's thread pool, so that the event
 * loop keeps serving requests meanwhile. The file is opened on first use: SQLite creates it with the database.
 */
export function writeAheadLogSync(walPath: string): () => Promise<void> {
  let fd: number | undefined;
  return coalescedSync(
    () =>
      new Promise<void>((resolve, reject) => {
        fd ??= openSync(walPath, 'r');
        fdatasync(fd, (error) => (error ? reject(error) : resolve()));
      }),
  );
}

/** Prepared statements kept per connection: the same few statements run on every request. */
function statementCache(connection: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  return (text: string) => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= 1_000) statements.clear();
      statement = connection.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
}

type Prepare = ReturnType<typeof statementCache>;

function execute<R>(prepare: Prepare, query: CompiledQuery): QueryResult<R> {
  const statement = prepare(query.sql);
  const parameters = query.parameters as unknown[];
  if (statement.reader) return { rows: statement.all(...parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/**
 * SQLite with one writer and one reader connection. In WAL mode a reader sees the last committed state
 * without waiting for the writer, so plain selects never queue behind a write transaction that is
 * waiting on other work; writes (transactions and single statements) take the writer in arrival order.
 * Everything inside a transaction runs on the writer and sees its own changes.
 */
class SplitSqliteDriver implements Driver {
  readonly #writer: WriterLock;
  readonly #write: Prepare;
  readonly #read: Prepare;

  constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    lock: WriterLock,
    private readonly durable: () => Promise<void>,
  ) {
    this.#writer = lock;
    this.#write = statementCache(writer);
    this.#read = reader === writer ? this.#write : statementCache(reader);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.#writer, this.#write, this.#read, this.durable);
  }

  async beginTransaction(connection: RoutedConnection): Promise<void> {
    await connection.holdWriter();
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: RoutedConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    // The next writer may start while the log reaches the disk; this caller hears of its commit after.
    connection.releaseWriter();
    await this.durable();
  }

  async rollbackTransaction(connection: RoutedConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: RoutedConnection): Promise<void> {
    connection.releaseWriter();
  }

  async destroy(): Promise<void> {
    if (this.reader !== this.writer) this.reader.close();
    this.writer.close();
  }
}

class RoutedConnection implements DatabaseConnection {
  #holdsWriter = false;

  constructor(
    private readonly mutex: WriterLock,
    private readonly write: Prepare,
    private readonly read: Prepare,
    private readonly durable: () => Promise<void>,
  ) {}

  async holdWriter(): Promise<void> {
    if (this.#holdsWriter) return;
    await this.mutex.lock();
    this.#holdsWriter = true;
  }

  releaseWriter(): void {
    if (!this.#holdsWriter) return;
    this.#holdsWriter = false;
    this.mutex.unlock();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#holdsWriter) return execute<R>(this.write, query);
    if (SelectQueryNode.is(query.query)) return execute<R>(this.read, query);
    await this.mutex.lock();
    let result: QueryResult<R>;
    try {
      result = execute<R>(this.write, query);
    } finally {
      this.mutex.unlock();
    }
    await this.durable();
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('Only selects can be streamed');
    const statement = (this.#holdsWriter ? this.write : this.read)(query.sql);
    for (const row of statement.iterate(...(query.parameters as unknown[]))) yield { rows: [row as R] };
  }
}

/**
 * A Kysely dialect over a writer and a reader connection to the same SQLite file (they may be one); writes
 * take `lock` in turn, and a commit (or a write outside a transaction) resolves once `durable` has made it
 * durable.
 */
export function splitSqliteDialect(
  writer: Database.Database,
  reader: Database.Database,
  lock: WriterLock,
  durable: () => Promise<void>,
): KyselyDialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SplitSqliteDriver(writer, reader, lock, durable),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
