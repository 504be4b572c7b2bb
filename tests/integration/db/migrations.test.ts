import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { registerDatabases } from '@/db/registry';

let dir: string;
let db: AppDatabase | undefined;

afterEach(() => {
  db?.sqlite.close();
  db = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('create the schema in a fresh file, in WAL mode, and are idempotent', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-db-'));
    const file = path.join(dir, 'nested', 'washboard.db');
    db = openDatabase(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');

    const tables = db.sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'accounts',
      'app_state',
      'audit_log',
      'clock_entries',
      'daily_rollups',
      'databases',
      'employees',
      'hourly_rollups',
      'invitations',
      'labor_coverage',
      'rate_limit_requests',
      'rate_limit_state',
      'rate_limit_waiters',
      'sessions',
      'sign_in_attempts',
      'site_coverage',
      'sites',
      'sync_chunks',
      'sync_leases',
      'sync_runs',
      'transactions',
      'user_sites',
      'users',
      'verifications',
    ]);
    const txColumns = db.sqlite.prepare('select name from pragma_table_info(?)').pluck().all('transactions');
    expect(txColumns).toEqual(expect.arrayContaining(['database_key', 'trans_id', 'local_day', 'total_cents', 'status']));

    db.sqlite.close();
    db = openDatabase(file); // second run applies nothing and keeps data
    const applied = db.sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get();
    expect(applied).toBe(fs.readdirSync(path.join(process.cwd(), 'db', 'migrations')).filter((f) => f.endsWith('.sql')).length);
  });

  it('keeps transactions unique per (database, transId)', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-db-'));
    db = openDatabase(path.join(dir, 'w.db'));
    registerDatabases(db, [{ key: 'washu', name: 'WashU', apiId: 'id', defaultTimezone: 'America/Chicago', isDemo: false }]);
    const insert = db.sqlite.prepare(
      `insert into transactions (database_key, trans_id, site_code, occurred_unix, local_day, local_hour, total_cents, status, is_plan_sale, is_plan_redemption, synced_at)
       values (?, ?, 'JOLIET', 0, '2026-01-01', 0, 100, 'Completed', 0, 0, 0)`,
    );
    insert.run('washu', '1:1');
    insert.run('icon', '1:1');
    expect(() => insert.run('washu', '1:1')).toThrow(/UNIQUE/);
  });
});
