import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresAppDatabase } from '@/db';
import { copyArchive, tableCounts } from '@/db/copy';
import { createFixture, type Fixture } from '../queries/support/fixture';
import { freshPostgresDatabase } from '../../support/postgres';

describe('copying a SQLite archive into Postgres', () => {
  let fixture: Fixture;
  let pgDb: PostgresAppDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    fixture = createFixture();
    const database = await freshPostgresDatabase('copy');
    drop = database.drop;
    pgDb = openPostgres(database.url);
  });
  afterAll(async () => {
    await pgDb.close();
    await drop();
    fixture.close();
  });

  it('copies every table, row for row, and the copy refuses a second run onto the copied rows', async () => {
    fixture.db.sqlite.prepare(`INSERT INTO sync_runs (database_key, trigger, status, started_at, heartbeat_at) VALUES ('washu', 'cli', 'succeeded', 1, 1)`).run();
    // COPY's text format escapes these; the value must arrive as it was.
    const awkward = 'tab\there, new\nline, back\\slash, \\N, carriage\rreturn, "quotes", é';
    fixture.db.sqlite.prepare(`INSERT INTO app_state (key, value, updated_at) VALUES ('awkward', ?, 1)`).run(awkward);
    const copied = await copyArchive(fixture.db, pgDb);
    expect((await pgDb.sql.get<{ value: string }>(`SELECT value FROM app_state WHERE key = 'awkward'`))!.value).toBe(awkward);
    const source = await tableCounts(fixture.db);
    expect(await tableCounts(pgDb)).toEqual(source);
    expect(copied).toEqual(source);
    expect(source.get('transactions')).toBe(fixture.rows.length);
    const sums = `SELECT sum(revenue_cents) AS revenue, sum(transactions) AS n, count(*) FILTER (WHERE unclassified_washes > 0) AS partial FROM daily_rollups`;
    expect(await pgDb.sql.get(sums)).toEqual(await fixture.db.sql.get(sums));
    const flags = `SELECT count(*) FILTER (WHERE is_plan_sale = TRUE) AS sales, count(*) FILTER (WHERE is_wash IS NULL) AS unknown FROM transactions`;
    expect(await pgDb.sql.get(flags)).toEqual(await fixture.db.sql.get(flags));
    // Identity columns continue after the copied ids.
    const next = await pgDb.sql.get<{ id: number }>(
      `INSERT INTO sync_runs (database_key, trigger, status, started_at, heartbeat_at) VALUES ('washu', 'cli', 'running', 2, 2) RETURNING id`,
    );
    expect(next!.id).toBe(2);
    await expect(copyArchive(fixture.db, pgDb)).rejects.toThrow(/already has rows in databases/);
  });
});
