/**
 * What only the SQLite store has: its standalone schema for library users without the app's
 * migrations, and the busy timeout. Sharing one budget between connections, pools and processes is
 * proven for both databases in shared-store.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';
import { ensureRateLimitSchema, SqliteRateLimitStore } from '@/db/sqlite/rate-limit-store';

const API = 'api-shared';
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-rate-limit-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'limiter.db');
}

describe('SqliteRateLimitStore on its own', () => {
  it('creates its tables on a bare database with ensureRateLimitSchema, idempotently', async () => {
    const db = new Database(tempFile());
    cleanup.push(() => db.close());
    ensureRateLimitSchema(db);
    ensureRateLimitSchema(db);
    db.pragma('busy_timeout = 0'); // better-sqlite3 defaults to 5000; a raw connection may have none
    const limiter = new SharedRateLimiter({ store: new SqliteRateLimitStore(db) });
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const permit = await limiter.acquire(API);
    await permit.release({ status: 200 });
    const row = db.prepare('SELECT api_id, priority, responded_at IS NOT NULL AS answered, status FROM rate_limit_requests').get();
    expect(row).toEqual({ api_id: API, priority: 'background', answered: 1, status: 200 });
  });

  it('adds the columns a file made by an older ensureRateLimitSchema lacks, keeping its rows', async () => {
    const db = new Database(tempFile());
    cleanup.push(() => db.close());
    db.exec(`
      CREATE TABLE rate_limit_requests (id TEXT PRIMARY KEY NOT NULL, api_id TEXT NOT NULL, priority TEXT NOT NULL,
        sent_at INTEGER NOT NULL, responded_at INTEGER, status INTEGER, rate_limited INTEGER DEFAULT 0 NOT NULL);
      CREATE TABLE rate_limit_state (api_id TEXT PRIMARY KEY NOT NULL, blocked_until INTEGER);
      INSERT INTO rate_limit_requests (id, api_id, priority, sent_at, responded_at) VALUES ('old', 'api-shared', 'background', 1, 2);
    `);
    ensureRateLimitSchema(db);
    const columns = (table: string) =>
      (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('rate_limit_requests')).toContain('window_floor');
    expect(columns('rate_limit_state')).toContain('sliding_until');
    expect(db.prepare('SELECT count(*) AS n FROM rate_limit_requests').get()).toEqual({ n: 1 });
    const limiter = new SharedRateLimiter({ store: new SqliteRateLimitStore(db) });
    await (await limiter.acquire(API)).release({ status: 200 });
    expect(db.prepare('SELECT count(*) AS n FROM rate_limit_requests WHERE window_floor IS NOT NULL').get()).toEqual({ n: 1 });
  });

  it('leaves an existing busy timeout alone', () => {
    const db = new Database(tempFile());
    cleanup.push(() => db.close());
    db.pragma('busy_timeout = 1234');
    new SqliteRateLimitStore(db);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });
});
