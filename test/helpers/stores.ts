import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL as well when DATABASE_URL is set (CI runs the suite both ways). */
export function storesUnderTest(): StoreKind[] {
  return process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
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
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
