import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '@/db';
import { DIALECTS, openTestDatabase } from '../../support/postgres';

describe.each(DIALECTS)('the SQL client on %s', (dialect) => {
  let db: AppDatabase;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect, 'client'));
  });
  afterAll(async () => cleanup());

  it('runs the same statements with positional and named parameters, camelCase aliases and flags', async () => {
    await db.registerDatabases([{ key: 'washu', name: 'WashU', apiId: 'washu-id', defaultTimezone: 'America/Chicago', isDemo: true }]);
    await db.registerDatabases([{ key: 'washu', name: 'WashU 2', apiId: 'washu-id', defaultTimezone: 'America/Chicago', isDemo: false }]);
    const row = await db.sql.get<{ apiId: string; name: string; demo: number }>(
      `SELECT api_id AS "apiId", name, ${db.dialect.flag('is_demo')} AS demo FROM databases WHERE key = @key`,
      { key: 'washu' },
    );
    expect(row).toEqual({ apiId: 'washu-id', name: 'WashU 2', demo: 0 });
    const rows = await db.sql.all<{ value: string }>(`SELECT ${db.dialect.jsonText('j', 1)} AS value FROM ${db.dialect.jsonEach('?', 'j')}`, [
      JSON.stringify([['a', 'b'], ['c', 'd']]),
    ]);
    expect(rows.map((r) => r.value)).toEqual(['b', 'd']);
    const sum = await db.sql.get<{ n: number; total: number }>(`SELECT count(*) AS n, sum(created_at) AS total FROM databases`);
    expect(typeof sum!.n).toBe('number');
    expect(typeof sum!.total).toBe('number');
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)`, ['kept', 'yes', 1]);
    });
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.run(`INSERT INTO app_state (key, value, updated_at) VALUES (?, ?, ?)`, ['lost', 'no', 1]);
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    const keys = await db.sql.all<{ key: string }>(`SELECT key FROM app_state ORDER BY key`);
    expect(keys.map((k) => k.key)).toEqual(['kept']);
  });
});
