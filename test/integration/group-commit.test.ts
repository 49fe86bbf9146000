import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeTogether, insertRows } from '../../src/platform/db/dialect';
import { type Combine, createGroupCommit } from '../../src/platform/db/group-commit';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe.each(storesUnderTest())('group commit on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await sql`create table gc_probe (id text primary key, n integer not null)`.execute(t.runtime.store.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async () =>
    Number(
      (
        await t.runtime.store.db
          .selectFrom('gc_probe' as never)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('commits concurrent writers together, each with its own result, and isolates a failing one', async () => {
    const writes = createGroupCommit(t.runtime.store.db, { maxBatch: 16 });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      writes.run(async (trx) => {
        await sql`insert into gc_probe (id, n) values (${`row-${i}`}, ${i})`.execute(trx);
        // Every seventh writer fails after writing: its row must vanish, the others must stay.
        if (i % 7 === 3) throw new Error(`refused ${i}`);
        // A duplicate key is a database error inside the shared transaction: only this writer sees it.
        if (i === 10) await sql`insert into gc_probe (id, n) values (${'row-0'}, ${0})`.execute(trx);
        return i * 2;
      }),
    );
    const outcomes = await Promise.allSettled(attempts);
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([3, 10, 17, 24, 31, 38]);
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled') expect(o.value).toBe(i * 2);
    });
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toContain('refused 3');
    expect(await count()).toBe(34);
    const kept = await t.runtime.store.db
      .selectFrom('gc_probe' as never)
      .select(sql<string>`id`.as('id'))
      .execute();
    expect(kept.map((r) => r.id)).not.toContain('row-10');
    expect(kept.map((r) => r.id)).not.toContain('row-3');
  });

  it('does combinable work of concurrent callers in one call, and on a refusal runs each input alone', async () => {
    const writes = createGroupCommit(t.runtime.store.db);
    const calls: number[] = [];
    // One multi-row insert for every queued input: a duplicate key spoils the statement for all of them.
    const insertAll: Combine<string, string> = async (trx, ids) => {
      calls.push(ids.length);
      await sql`insert into gc_probe (id, n) values ${sql.join(ids.map((id) => sql`(${id}, ${1})`))}`.execute(
        trx,
      );
      return ids.map((id) => `stored ${id}`);
    };
    const first = await Promise.all(['c-1', 'c-2', 'c-3'].map((id) => writes.runCombined(insertAll, id)));
    expect(first).toEqual(['stored c-1', 'stored c-2', 'stored c-3']);
    expect(calls).toEqual([3]);
    expect(writes.stats()).toEqual({ transactions: 1, pieces: 3, reruns: 0 });

    calls.length = 0;
    const plain = writes.run(async (trx) => {
      await sql`insert into gc_probe (id, n) values (${'c-plain'}, ${2})`.execute(trx);
      return 'plain';
    });
    const second = await Promise.allSettled([
      writes.runCombined(insertAll, 'c-4'),
      writes.runCombined(insertAll, 'c-2'),
      writes.runCombined(insertAll, 'c-5'),
      plain,
    ]);
    // The group of three failed as a whole, then each input ran on its own: only the duplicate is refused.
    expect(calls).toEqual([3, 1, 1, 1]);
    expect(second.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((second[0] as PromiseFulfilledResult<string>).value).toBe('stored c-4');
    expect((second[3] as PromiseFulfilledResult<string>).value).toBe('plain');
    const kept = await t.runtime.store.db
      .selectFrom('gc_probe' as never)
      .select(sql<string>`id`.as('id'))
      .where(sql<boolean>`id like 'c-%'`)
      .orderBy(sql`id`)
      .execute();
    expect(kept.map((r) => r.id)).toEqual(['c-1', 'c-2', 'c-3', 'c-4', 'c-5', 'c-plain']);
    // One shared transaction (two kinds of work, each in a savepoint), the spoilt group run again piece by piece.
    expect(writes.stats()).toEqual({ transactions: 2, pieces: 7, reruns: 3 });

    // Work of one kind only has no savepoint: a refusal rolls the shared transaction back and each
    // input runs again in its own transaction.
    calls.length = 0;
    const third = await Promise.allSettled(
      ['c-6', 'c-1', 'c-7'].map((id) => writes.runCombined(insertAll, id)),
    );
    expect(calls).toEqual([3, 1, 1, 1]);
    expect(third.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(writes.stats()).toEqual({ transactions: 6, pieces: 10, reruns: 6 });
    expect(await count()).toBeGreaterThanOrEqual(8);
    const after = await t.runtime.store.db
      .selectFrom('gc_probe' as never)
      .select(sql<string>`id`.as('id'))
      .where(sql<boolean>`id in ('c-6', 'c-7')`)
      .execute();
    expect(after).toHaveLength(2);
  });

  it('runs data-changing statements together, foreign keys and nested with clauses included, all or nothing', async () => {
    const db = t.runtime.store.db;
    await sql`create table gc_parent (id text primary key, n integer not null)`.execute(db);
    await sql`create table gc_child (id text primary key, parent_id text not null references gc_parent (id))`.execute(
      db,
    );
    await sql`insert into gc_parent (id, n) values ('p-0', 0), ('p-1', 1)`.execute(db);
    const statements = (suffix: string) => [
      sql`insert into gc_parent (id, n) values (${`p-${suffix}`}, ${10})`,
      // The child's parent is written by another statement of the same set.
      sql`insert into gc_child (id, parent_id) values (${`k-${suffix}`}, ${`p-${suffix}`})`,
      sql`with v (id, n) as (values (${'p-0'}, cast(${20} as integer)), (${'p-1'}, cast(${21} as integer))) update gc_parent set n = v.n from v where gc_parent.id = v.id`,
    ];
    const dialect = t.runtime.store.dialect;
    await db.transaction().execute((trx) => executeTogether(trx, dialect, statements('a')));
    const parents = await db
      .selectFrom('gc_parent' as never)
      .select([sql<string>`id`.as('id'), sql<number>`n`.as('n')])
      .orderBy(sql`id`)
      .execute();
    expect(parents.map((p) => [p.id, Number(p.n)])).toEqual([
      ['p-0', 20],
      ['p-1', 21],
      ['p-a', 10],
    ]);
    // A failing statement (the parent exists already) leaves nothing of the set behind.
    await expect(
      db.transaction().execute(async (trx) => {
        await executeTogether(trx, dialect, [
          sql`insert into gc_child (id, parent_id) values ('k-b', 'p-a')`,
          ...statements('a'),
        ]);
      }),
    ).rejects.toThrow();
    const children = await db
      .selectFrom('gc_child' as never)
      .select(sql<string>`id`.as('id'))
      .execute();
    expect(children.map((c) => c.id)).toEqual(['k-a']);
  });

  it('inserts many rows with their values intact, binary and text, above the bound-parameter limit', async () => {
    const { db, dialect } = t.runtime.store;
    const at = Date.UTC(2026, 10, 26, 9, 30);
    // 4,000 rows of 9 columns: more parameters than one SQLite statement may carry.
    const rows = Array.from({ length: 4_000 }, (_, i) => ({
      id: `ir-${String(i).padStart(5, '0')}`,
      topic: i === 1 ? `quote ' and "double", back\\slash, accent é, emoji 🩺` : 'probe',
      payload: Uint8Array.from([0, 255, i % 256, 92, 120]),
      attempts: i,
      available_at: at + i,
      locked_until: null,
      last_error: i % 2 === 0 ? null : '{"json":"as text"}',
      created_at: at,
      // Done already: the outbox never picks them up.
      done_at: at,
    }));
    const statements = insertRows(dialect, 'outbox', rows);
    expect(statements.length).toBe(dialect === 'postgres' ? 1 : 2);
    await db.transaction().execute((trx) => executeTogether(trx, dialect, statements));
    const stored = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', 'like', 'ir-%')
      .orderBy('id')
      .execute();
    expect(stored).toHaveLength(4_000);
    for (const index of [0, 1, 2, 3_999]) {
      const row = stored[index]!;
      expect({
        ...row,
        payload: [...row.payload],
        attempts: Number(row.attempts),
        available_at: Number(row.available_at),
        created_at: Number(row.created_at),
        done_at: Number(row.done_at),
      }).toEqual({ ...rows[index]!, payload: [...rows[index]!.payload] });
    }
    expect(insertRows(dialect, 'outbox', [])).toEqual([]);
  });

  it('runs a lone writer at once, and a writer that arrives during a commit in the next one', async () => {
    const writes = createGroupCommit(t.runtime.store.db);
    const order: string[] = [];
    const first = writes.run(async (trx) => {
      order.push('first');
      await sql`insert into gc_probe (id, n) values (${'lone-1'}, ${1})`.execute(trx);
    });
    const second = writes.run(async (trx) => {
      order.push('second');
      await sql`insert into gc_probe (id, n) values (${'lone-2'}, ${2})`.execute(trx);
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    const rows = await t.runtime.store.db
      .selectFrom('gc_probe' as never)
      .select(sql<string>`id`.as('id'))
      .where(sql<boolean>`id like 'lone-%'`)
      .execute();
    expect(rows).toHaveLength(2);
  });
});
