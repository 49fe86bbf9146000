import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coalescedSync } from '../../src/platform/db/sqlite-driver';
import { openStore } from '../../src/platform/db/store';

describe('coalesced log sync', () => {
  it('shares one sync among callers that wait together, and never lets a caller ride a sync already running', async () => {
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const sync = coalescedSync(
      () =>
        new Promise<void>((resolve) => {
          started.push(started.length + 1);
          finish.push(resolve);
        }),
    );
    const settled: string[] = [];
    const first = sync().then(() => settled.push('first'));
    // These two arrive while the first sync runs: it may predate their commits, so they wait for the next.
    const second = sync().then(() => settled.push('second'));
    const third = sync().then(() => settled.push('third'));
    expect(started).toEqual([1]);
    finish[0]!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual(['first']);
    expect(started).toEqual([1, 2]);
    finish[1]!();
    await Promise.all([second, third]);
    expect(settled).toEqual(['first', 'second', 'third']);
    expect(started).toEqual([1, 2]);
  });

  it('reports a failed sync to the callers that waited for it, and syncs again for the next', async () => {
    let attempt = 0;
    const sync = coalescedSync(async () => {
      attempt++;
      if (attempt === 1) throw new Error('EIO');
    });
    await expect(sync()).rejects.toThrow('EIO');
    await expect(sync()).resolves.toBeUndefined();
    expect(attempt).toBe(2);
  });
});

describe('embedded store durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'missive-sync-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps concurrent commits and single writes of a file-backed store across a reopen', async () => {
    const path = join(dir, 'store.db');
    const store = openStore({ sqlitePath: path });
    await store.db.schema
      .createTable('probe')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.db.transaction().execute((trx) =>
          trx
            .insertInto('probe' as never)
            .values({ id: i } as never)
            .execute(),
        ),
      ),
    );
    await store.db
      .insertInto('probe' as never)
      .values({ id: 100 } as never)
      .execute();
    await store.close();
    const again = openStore({ sqlitePath: path });
    const rows = await again.db
      .selectFrom('probe' as never)
      .selectAll()
      .execute();
    expect(rows).toHaveLength(21);
    await again.close();
  });
});
