/**
 * kill -9 in the middle of a run: a sync started right after takes the dead process's lease over
 * at once (issue 13), continues at each range's cursor, fetches no completed page again, and ends
 * with the same rows as a run that was never interrupted. SIGTERM stops a run in order: the pages
 * in flight commit, the lease is released, the database is closed. On both dialects: the CLI runs
 * on a SQLite file or, with a postgres:// DATABASE_URL, on a Postgres database of its own.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';
import { DIALECTS, type TestDialect } from '../../support/postgres';
import { cliDatabase, scalar, type CliDatabase } from './helpers';

let sim: Simulator;
let dir: string;
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-resume-'));
  // Real clocks (the CLI child has no other); slow enough legs that the kill lands mid-run.
  sim = await startSimulator({ throttle: { limit: 20, windowMs: 500 }, faults: { responseLatencyMs: { min: 30, max: 70 } } });
});
afterAll(async () => {
  await sim.close();
  for (const drop of drops) await drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Days that are over everywhere, so late uploads and voids are settled and both runs see the same data.
const today = toLocalDate(Date.now(), 'America/Chicago');
const from = addDays(today, -7);
const to = addDays(today, -5);

async function newTarget(dialect: TestDialect, name: string): Promise<CliDatabase> {
  const target = await cliDatabase(dialect, dir, name);
  drops.push(target.drop);
  return target;
}

function env(url: string) {
  const washu = sim.world.databases.find((d) => d.key === 'washu')!;
  return {
    DATABASE_URL: url,
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

async function stored(db: AppDatabase) {
  const rows = await db.sql.all('SELECT trans_id, site_code, local_day, total_cents, status FROM transactions ORDER BY trans_id');
  const rollups = (await db.sql.all('SELECT * FROM daily_rollups ORDER BY 1, 2, 3')).map((r) => ({ ...(r as object), updated_at: 0 }));
  return { rows, rollups };
}

async function syncInProcess(target: CliDatabase) {
  const db = target.open(true);
  const runtime = await createSyncRuntime({ config: parseEnv(env(target.url)), db });
  const outcome = await (await runtime.manager.trigger('washu', 'cli', { from, to })).done;
  await runtime.close();
  const data = await stored(db);
  await db.close();
  return { outcome, ...data };
}

/** `npm run sync -- --from --to` in a child process, with its output. */
function cli(target: CliDatabase) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', '--from', from, '--to', to], {
    env: { ...process.env, ...env(target.url) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const COMMITTED_PAGES = 'SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks';

/** Pages committed so far (each range's cursor), or -1 while the database is not readable yet. */
async function committedPages(target: CliDatabase): Promise<number> {
  // (SQLite: not before the child has created the file, which opening it here would do first.)
  if (target.dialect === 'sqlite' && !fs.existsSync(target.url)) return -1;
  try {
    return await target.read((db) => scalar(db, COMMITTED_PAGES));
  } catch {
    return -1; // the child is still creating the schema
  }
}

async function untilCommitted(target: CliDatabase, pages: number): Promise<number> {
  let committed = -1;
  // Each child compiles the CLI with tsx first: tens of seconds on a busy 2-core machine.
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && committed < pages) {
    await new Promise((r) => setTimeout(r, 25));
    committed = await committedPages(target);
  }
  return committed;
}

describe.each(DIALECTS)('kill -9 and resume on %s', { timeout: 240_000 }, (dialect) => {
  let reference: Awaited<ReturnType<typeof syncInProcess>>;
  beforeAll(async () => {
    reference = await syncInProcess(await newTarget(dialect, 'reference'));
  }, 120_000);

  it('a restart right after kill -9 takes the lease over at once, continues where the killed run stopped, and ends with the same data', async () => {
    expect(reference.outcome.status).toBe('succeeded');
    expect(reference.rows.length).toBeGreaterThan(2000);

    const target = await newTarget(dialect, 'killed');
    const killed = cli(target);
    // Wait until some pages are committed, then kill without warning.
    expect(await untilCommitted(target, 6), killed.output()).toBeGreaterThanOrEqual(6);
    killed.child.kill('SIGKILL');
    await killed.exited;

    // What the killed run left: committed pages (the cursor), and its lease, which has not expired.
    const [left, lease] = await target.read(async (db) => [
      await scalar(db, COMMITTED_PAGES),
      (await db.sql.get<{ owner: string; expiresAt: number }>('SELECT owner, expires_at AS "expiresAt" FROM sync_leases'))!,
    ] as const);
    expect(left).toBeLessThan(reference.outcome.progress.doneRequests - 1);
    expect(lease.owner).toMatch(new RegExp(`:${killed.child.pid}:`));
    expect(lease.expiresAt).toBeGreaterThan(Date.now());

    // The restart does not join the dead run, wait for its lease, or fail: it starts and resumes.
    const restarted = cli(target);
    expect(await restarted.exited).toBe(0);
    expect(restarted.output()).toContain('WashU: sync started (run 2).');
    const { runs, data } = await target.read(async (db) => ({
      runs: await db.sql.all('SELECT id, status, done_requests AS done FROM sync_runs ORDER BY id'),
      data: await stored(db),
    }));
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
    const target = await newTarget(dialect, 'stopped');
    const stopped = cli(target);
    expect(await untilCommitted(target, 6), stopped.output()).toBeGreaterThanOrEqual(6);
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(143);
    expect(stopped.output()).toContain('Stopping: letting the pages in flight commit');
    expect(stopped.output()).toMatch(/WashU: Stopped when Washboard shut down, after [\d,]+ transactions; the next sync continues where it left off\./);

    if (dialect === 'sqlite') {
      // Closed cleanly: SQLite folded and removed the WAL; no holder file left behind. (A Postgres
      // server ends a gone client's sessions itself, and holder files are SQLite's.)
      expect(fs.existsSync(`${target.url}-wal`)).toBe(false);
      expect(fs.readdirSync(`${target.url}-holders`)).toEqual([]);
    }
    const { left, leases, run, rows, counted } = await target.read(async (db) => ({
      left: await scalar(db, COMMITTED_PAGES),
      leases: await scalar(db, 'SELECT count(*) FROM sync_leases'),
      run: await db.sql.get('SELECT status, message FROM sync_runs WHERE id = 1'),
      // What was committed is whole: every stored row belongs to a committed page or a finished range.
      rows: await scalar(db, 'SELECT count(*) FROM transactions'),
      counted: await scalar(db, 'SELECT coalesce(sum(rows), 0) FROM sync_chunks'),
    }));
    expect(leases).toBe(0);
    expect(run).toEqual({ status: 'interrupted', message: expect.stringMatching(/^Stopped when Washboard shut down/) });
    expect(rows).toBe(counted);

    const resumed = await syncInProcess(target);
    expect(resumed.outcome.status).toBe('succeeded');
    expect(resumed.outcome.progress.doneRequests).toBe(reference.outcome.progress.doneRequests - 1 - left);
    expect(resumed.rows).toEqual(reference.rows);
    expect(resumed.rollups).toEqual(reference.rollups);
  });
});
