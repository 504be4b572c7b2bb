/**
 * Several processes on one API ID share one budget through the SQLite file. First two
 * connections in this process on a fake clock (deterministic), then two real child processes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';
import { ensureRateLimitSchema, SqliteRateLimitStore } from '@/lib/sonnys/rate-limit/sqlite-store';
import { FakeClock, settle } from './support/fake-clock';
import { FixedWindowThrottle } from './support/fixed-window';
import { sqliteFixture } from './support/stores';

const API = 'api-shared';
const WINDOW = 15_000;
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-rate-limit-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'limiter.db');
}

describe('SqliteRateLimitStore shared by several connections', () => {
  it('queues an interactive waiter of one connection ahead of a background waiter of another', async () => {
    const env = sqliteFixture.create();
    cleanup.push(() => env.dispose());
    const clock = new FakeClock();
    const t0 = clock.now();
    const sync = new SharedRateLimiter({ store: env.store, clock });
    const web = new SharedRateLimiter({ store: env.connect(), clock });

    const permits = await Promise.all(Array.from({ length: 20 }, () => sync.acquire(API)));
    const order: string[] = [];
    const background = sync.acquire(API).then((p) => order.push(`sync background at +${p.grantedAt - t0}`));
    await settle();
    const interactive = web
      .acquire(API, { priority: 'interactive' })
      .then((p) => order.push(`web interactive at +${p.grantedAt - t0}`));
    await settle();
    expect((await web.snapshot(API)).queued).toEqual({ interactive: 1, background: 1 });

    // Answered once the window may have ended, each answer frees its own slot one window later.
    await clock.advance(WINDOW);
    await permits[0]!.release({ status: 200 });
    await clock.advance(1_000);
    await permits[1]!.release({ status: 200 });
    await clock.run(Promise.all([background, interactive]));
    expect(order).toEqual(['web interactive at +30000', 'sync background at +31000']);
  });

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

  it('prunes request records past the retention and dead waiters, not recent ones', async () => {
    const db = new Database(tempFile());
    cleanup.push(() => db.close());
    ensureRateLimitSchema(db);
    const clock = new FakeClock();
    const limiter = new SharedRateLimiter({ store: new SqliteRateLimitStore(db), clock, pruneIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) await (await limiter.acquire(API)).release({ status: 200 });
    db.prepare(
      "INSERT INTO rate_limit_waiters (id, api_id, priority, enqueued_at, heartbeat_at) VALUES ('dead', ?, 'background', ?, ?)",
    ).run(API, clock.now(), clock.now());
    await clock.advance(25 * 3_600_000);
    await (await limiter.acquire(API)).release({ status: 200 });
    expect(db.prepare('SELECT count(*) AS n FROM rate_limit_requests').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM rate_limit_waiters').get()).toEqual({ n: 0 });
  });
});

interface WorkerReport {
  pid: number;
  results: { sentAt: number; arrivedAt: number; respondedAt: number }[];
}

function runWorker(options: Record<string, unknown>): Promise<WorkerReport> {
  const script = path.join(import.meta.dirname, 'support', 'sqlite-worker.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerReport);
    });
  });
}

describe('two real processes sharing one SQLite file', () => {
  it('never exceed the limit together in any window', async () => {
    const file = tempFile();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    ensureRateLimitSchema(db);
    db.close();

    const limit = 4;
    const windowMs = 400;
    const common = { file, apiId: API, count: 14, limit, windowMs, startAt: Date.now() + 4_000, maxLegMs: 40 };
    const reports = await Promise.all([runWorker(common), runWorker(common)]);
    expect(reports[0]!.pid).not.toBe(reports[1]!.pid);

    const all = reports.flatMap((r) => r.results);
    expect(all).toHaveLength(28);
    // The server's view: replay the arrivals through the fixed-window throttle (rejects counted, the
    // stricter reading). Send times may exceed the limit within a sliding span of a window: the rule
    // reuses a fixed window's slots as soon as it has surely ended, which is the point.
    const throttle = new FixedWindowThrottle(limit, windowMs, true);
    for (const at of all.map((r) => r.arrivedAt).sort((a, b) => a - b)) throttle.arrive(at);
    expect(throttle.rejected).toBe(0);
    // The two processes really competed: their sending periods overlap.
    const [a, b] = reports.map((r) => r.results.map((x) => x.sentAt)) as [number[], number[]];
    expect(Math.min(...a)).toBeLessThan(Math.max(...b));
    expect(Math.min(...b)).toBeLessThan(Math.max(...a));
  });
});
