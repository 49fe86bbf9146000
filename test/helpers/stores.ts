import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL as well when DATABASE_URL is set (CI runs the suite both ways). */
export function storesUnderTest(): StoreKind[] {
  return process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

const SCHEMA_LOCK = 7_316_001;

/** Runs `fn` while holding the test-schema lock (migrations list all schemas; drops must wait). */
export async function withSchemaLock<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
  try {
    return await fn();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** Each test app gets its own PostgreSQL schema, dropped afterwards, so test files can run in parallel. */
export async function createPgSchema(url: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      // Dropping a schema while another worker's migrator lists every schema's tables makes that listing
      // fail: drops and migrations take turns under one advisory lock.
      await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.query('select pg_advisory_unlock($1)', [SCHEMA_LOCK]);
      }
      await c.end();
    },
  };
}
