/**
 * `npm run db:copy` end to end (issue 14): spawned as an operator runs it, from the report
 * fixture's SQLite archive into a fresh Postgres database. The copy is verified by the CLI itself
 * (row counts and the report's totals) and, independently, here; a second run onto the copied rows,
 * a URL that is not Postgres and an unreachable server each get one sentence, never the password.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresAppDatabase } from '@/db';
import { tableCounts } from '@/db/copy';
import { reportTotals, verifyCopy } from '@/db/copy-verify';
import { createFixture, type Fixture } from '../queries/support/fixture';
import { freshPostgresDatabase } from '../../support/postgres';

const root = process.cwd();
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function dbCopy(fixture: Fixture, args: string[]) {
  const result = spawnSync(tsx, [path.join(root, 'scripts', 'db-copy.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: fixture.file, SONNYS_DATABASES: '' },
    timeout: 120_000,
  });
  return { code: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

describe('npm run db:copy', { timeout: 180_000 }, () => {
  let fixture: Fixture;
  let target: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    fixture = createFixture();
    target = await freshPostgresDatabase('db_copy_cli');
  });
  afterAll(async () => {
    await target.drop();
    fixture.close();
  });

  it('copies the archive and says the copy is exact, which it is', async () => {
    const result = dbCopy(fixture, ['--to', target.url]);
    expect(result.err).toContain('transactions:');
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/^[\d,]+ rows in \d+ tables copied in [\d.]+ s; the copy is exact: every table's row count and the report totals of all [\d,]+ site-days match\.$/);
    const copy: PostgresAppDatabase = openPostgres(target.url);
    try {
      expect(await tableCounts(copy)).toEqual(await tableCounts(fixture.db));
      const totals = await reportTotals(copy);
      expect(totals.size).toBeGreaterThan(0);
      expect(totals).toEqual(await reportTotals(fixture.db));
    } finally {
      await copy.close();
    }
  });

  it('finds a copy that is not exact: a changed measure and a missing row are named', async () => {
    const copy: PostgresAppDatabase = openPostgres(target.url);
    try {
      const day = await copy.sql.get<{ k: string; s: string; d: string }>('SELECT database_key AS k, site_code AS s, local_day AS d FROM daily_rollups ORDER BY local_day LIMIT 1');
      await copy.sql.run('UPDATE daily_rollups SET revenue_cents = revenue_cents + 1 WHERE database_key = ? AND site_code = ? AND local_day = ?', [day!.k, day!.s, day!.d]);
      const transactions = (await tableCounts(fixture.db)).get('transactions')!;
      await copy.sql.run('DELETE FROM transactions WHERE trans_id = (SELECT min(trans_id) FROM transactions)');
      const revenue = (await reportTotals(fixture.db)).get(`${day!.k}/${day!.s}/${day!.d}`)!.revenue_cents!;
      const check = await verifyCopy(fixture.db, copy);
      expect(check.differences).toEqual([
        `transactions has ${transactions - 1} rows instead of ${transactions}`,
        `${day!.k}/${day!.s}/${day!.d} revenue_cents is ${revenue + 1} instead of ${revenue}`,
      ]);
    } finally {
      await copy.close();
    }
  });

  it('refuses a target that is not empty, in one sentence without the password', () => {
    // The server's real password when it has one (pg_virtualenv's); on a trust server any password is
    // accepted, so a made-up one shows the redaction all the same.
    const withPassword = new URL(target.url);
    if (!withPassword.password) withPassword.password = 'hunter2-secret';
    const password = decodeURIComponent(withPassword.password);
    const result = dbCopy(fixture, ['--to', withPassword.toString()]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^The Postgres database postgres:\/\/\S+ is not empty \(\d+ rows? in \w+ and \d+ more tables\): db:copy copies into an empty database only\.$/);
    expect(result.err + result.out).not.toContain(password);
  });

  it('says what is wrong with a missing, non-Postgres or unreachable target, never its password', () => {
    expect(dbCopy(fixture, [])).toMatchObject({ code: 2, err: expect.stringMatching(/^Name the Postgres database to copy into with --to\.\nUsage:/) });
    const mysql = dbCopy(fixture, ['--to', 'mysql://me:hunter2-secret@db.example/washboard']);
    expect(mysql).toMatchObject({ code: 2, err: '--to must be a postgres:// URL, such as postgres://USER:PASSWORD@HOST:5432/DATABASE.' });
    // Port 9 (discard) on loopback: nothing listens there.
    const down = dbCopy(fixture, ['--to', 'postgres://me:hunter2-secret@127.0.0.1:9/washboard']);
    expect(down).toMatchObject({
      code: 2,
      err: 'The Postgres server at postgres://me:***@127.0.0.1:9/washboard cannot be reached (ECONNREFUSED); check that it is running and the host and port are right.',
    });
    for (const r of [mysql, down]) expect(r.err + r.out).not.toContain('hunter2-secret');
  });
});
