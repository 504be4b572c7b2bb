/**
 * kill -9 in the middle of a run: a sync started right after takes the dead process's lease over
 * at once (issue 13), continues at each range's cursor, fetches no completed page again, and ends
 * with the same rows as a run that was never interrupted. SIGTERM stops a run in order: the pages
 * in flight commit, the lease is released, the database is closed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-resume-'));
  // Real clocks (the CLI child has no other); slow enough legs that the kill lands mid-run.
  sim = await startSimulator({ throttle: { limit: 20, windowMs: 500 }, faults: { responseLatencyMs: { min: 30, max: 70 } } });
  reference = await syncInProcess(path.join(dir, 'reference.db'));
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Days that are over everywhere, so late uploads and voids are settled and both runs see the same data.
const today = toLocalDate(Date.now(), 'America/Chicago');
const from = addDays(today, -7);
const to = addDays(today, -5);

function env(file: string) {
  const washu = sim.world.databases.find((d) => d.key === 'washu')!;
  return {
    DATABASE_URL: file,
    // Sales only: these tests count v2 pages; the KPI data has tests of its own (kpis.test.ts).
    SYNC_KPIS: 'off',
    SONNYS_DATABASES: 'washu',
    SONNYS_WASHU_NAME: 'WashU',
    SONNYS_WASHU_API_ID: washu.apiId,
    SONNYS_WASHU_API_KEY: washu.apiKey,
    SONNYS_WASHU_BASE_URL: sim.url,
    SONNYS_RATE_LIMIT: '20/500ms',
  };
}

function stored(db: AppDatabase) {
  const rows = db.sqlite.prepare('SELECT trans_id, site_code, local_day, total_cents, status FROM transactions ORDER BY trans_id').all();
  const rollups = db.sqlite.prepare('SELECT * FROM daily_rollups ORDER BY 1, 2, 3').all().map((r) => ({ ...(r as object), updated_at: 0 }));
  return { rows, rollups };
}

async function syncInProcess(file: string) {
  const db = openDatabase(file);
  const runtime = await createSyncRuntime({ config: parseEnv(env(file)), db });
  const outcome = await (await runtime.manager.trigger('washu', 'cli', { from, to })).done;
  await runtime.close();
  const data = stored(db);
  db.sqlite.close();
  return { outcome, ...data };
}

/** `npm run sync -- --from --to` in a child process, with its output. */
function cli(file: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', '--from', from, '--to', to], {
    env: { ...process.env, ...env(file) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Pages committed so far (each range's cursor), or -1 while the file is not readable yet. */
function committedPages(file: string): number {
  if (!fs.existsSync(file)) return -1;
  try {
    const db = openDatabase(file, { migrate: false });
    try {
      return (db.sqlite.prepare('SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks').pluck().get() as number) ?? 0;
    } finally {
      db.sqlite.close();
    }
  } catch {
    return -1; // the child is still creating the schema
  }
}

async function untilCommitted(file: string, pages: number): Promise<number> {
  let committed = -1;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && committed < pages) {
    await new Promise((r) => setTimeout(r, 25));
    committed = committedPages(file);
  }
  return committed;
}

let reference: Awaited<ReturnType<typeof syncInProcess>>;

describe('kill -9 and resume', () => {
  it('a restart right after kill -9 takes the lease over at once, continues where the killed run stopped, and ends with the same data', async () => {
    expect(reference.outcome.status).toBe('succeeded');
    expect(reference.rows.length).toBeGreaterThan(2000);

    const file = path.join(dir, 'killed.db');
    const killed = cli(file);
    // Wait until some pages are committed, then kill without warning.
    expect(await untilCommitted(file, 6)).toBeGreaterThanOrEqual(6);
    killed.child.kill('SIGKILL');
    await killed.exited;

    // What the killed run left: committed pages (the cursor), and its lease, which has not expired.
    const before = openDatabase(file, { migrate: false });
    const left = before.sqlite.prepare('SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks').pluck().get() as number;
    const lease = before.sqlite.prepare('SELECT owner, expires_at AS expiresAt FROM sync_leases').get() as { owner: string; expiresAt: number };
    before.sqlite.close();
    expect(left).toBeLessThan(reference.outcome.progress.doneRequests - 1);
    expect(lease.owner).toMatch(new RegExp(`:${killed.child.pid}:`));
    expect(lease.expiresAt).toBeGreaterThan(Date.now());

    // The restart does not join the dead run, wait for its lease, or fail: it starts and resumes.
    const restarted = cli(file);
    expect(await restarted.exited).toBe(0);
    expect(restarted.output()).toContain('WashU: sync started (run 2).');
    const after = openDatabase(file, { migrate: false });
    const runs = after.sqlite.prepare('SELECT id, status, done_requests AS done FROM sync_runs ORDER BY id').all();
    const data = stored(after);
    after.sqlite.close();
    // No committed page is fetched again: the reference's pages = the killed run's + the resumed run's.
    // (The site list is cached for an hour, so the resumed run does not ask for it again.)
    expect(runs).toEqual([
      { id: 1, status: 'interrupted', done: expect.any(Number) },
      { id: 2, status: 'succeeded', done: reference.outcome.progress.doneRequests - 1 - left },
    ]);
    expect(data.rows).toEqual(reference.rows);
    expect(data.rollups).toEqual(reference.rollups);
  });

  it('SIGTERM stops a CLI sync in order: pages in flight commit, the lease is released, the database closed; the next sync finishes exactly', async () => {
    const file = path.join(dir, 'stopped.db');
    const stopped = cli(file);
    expect(await untilCommitted(file, 6)).toBeGreaterThanOrEqual(6);
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(143);
    expect(stopped.output()).toContain('Stopping: letting the pages in flight commit');
    expect(stopped.output()).toMatch(/WashU: Stopped when Washboard shut down, after [\d,]+ transactions; the next sync continues where it left off\./);

    // Closed cleanly: SQLite folded and removed the WAL; no lease, no holder file left behind.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.readdirSync(`${file}-holders`)).toEqual([]);
    const db = openDatabase(file, { migrate: false });
    const left = db.sqlite.prepare('SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks').pluck().get() as number;
    expect(db.sqlite.prepare('SELECT count(*) FROM sync_leases').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT status, message FROM sync_runs WHERE id = 1').get()).toEqual({
      status: 'interrupted',
      message: expect.stringMatching(/^Stopped when Washboard shut down/),
    });
    // What was committed is whole: every stored row belongs to a committed page or a finished range.
    const rows = db.sqlite.prepare('SELECT count(*) FROM transactions').pluck().get() as number;
    const counted = db.sqlite.prepare('SELECT coalesce(sum(rows), 0) FROM sync_chunks').pluck().get() as number;
    expect(rows).toBe(counted);
    db.sqlite.close();

    const resumed = await syncInProcess(file);
    expect(resumed.outcome.status).toBe('succeeded');
    expect(resumed.outcome.progress.doneRequests).toBe(reference.outcome.progress.doneRequests - 1 - left);
    expect(resumed.rows).toEqual(reference.rows);
    expect(resumed.rollups).toEqual(reference.rollups);
  });
});
