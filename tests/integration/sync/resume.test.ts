/**
 * kill -9 in the middle of a run: the next run continues at each range's cursor, fetches no
 * completed page again, and ends with the same rows as a run that was never interrupted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, todayIn } from '@/lib/sonnys';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-resume-'));
  // Real clocks (the CLI child has no other); slow enough legs that the kill lands mid-run.
  sim = await startSimulator({ throttle: { limit: 20, windowMs: 500 }, faults: { responseLatencyMs: { min: 30, max: 70 } } });
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Days that are over everywhere, so late uploads and voids are settled and both runs see the same data.
const today = todayIn('America/Chicago');
const from = addDays(today, -7);
const to = addDays(today, -5);

function env(file: string) {
  const washu = sim.world.databases.find((d) => d.key === 'washu')!;
  return {
    DATABASE_URL: file,
    SONNYS_DATABASES: 'washu',
    SONNYS_WASHU_NAME: 'WashU',
    SONNYS_WASHU_API_ID: washu.apiId,
    SONNYS_WASHU_API_KEY: washu.apiKey,
    SONNYS_WASHU_BASE_URL: sim.url,
    SONNYS_RATE_LIMIT: '20/500ms',
  };
}

async function syncInProcess(file: string) {
  const db = openDatabase(file);
  const runtime = await createSyncRuntime({ config: parseEnv(env(file)), db });
  const outcome = await runtime.manager.trigger('washu', 'cli', { from, to }).done;
  await runtime.close();
  const rows = db.sqlite.prepare('SELECT trans_id, site_code, local_day, total_cents, status FROM transactions ORDER BY trans_id').all();
  const rollups = db.sqlite.prepare('SELECT * FROM daily_rollups ORDER BY 1, 2, 3').all().map((r) => ({ ...(r as object), updated_at: 0 }));
  db.sqlite.close();
  return { outcome, rows, rollups };
}

describe('kill -9 and resume', () => {
  it('continues where the killed run stopped and ends with the same data', async () => {
    const reference = await syncInProcess(path.join(dir, 'reference.db'));
    expect(reference.outcome.status).toBe('succeeded');
    expect(reference.rows.length).toBeGreaterThan(2000);

    const file = path.join(dir, 'killed.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', '--from', from, '--to', to], {
      env: { ...process.env, ...env(file) },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Wait until some pages are committed, then kill without warning.
    let committed = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      if (!fs.existsSync(file)) continue;
      try {
        const db = openDatabase(file, { migrate: false });
        committed = (db.sqlite.prepare('SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks').pluck().get() as number) ?? 0;
        db.sqlite.close();
      } catch {
        continue; // the child is still creating the schema
      }
      if (committed >= 6) break;
    }
    child.kill('SIGKILL');
    await exited;
    expect(committed).toBeGreaterThanOrEqual(6);

    // What the killed run left: committed pages (the cursor) and the ranges it finished.
    const killed = openDatabase(file);
    const left = killed.sqlite.prepare('SELECT coalesce(sum(next_page - 1), 0) FROM sync_chunks').pluck().get() as number;
    killed.sqlite.prepare('UPDATE sync_leases SET expires_at = 0').run(); // the lease would expire in 15 s anyway
    killed.sqlite.close();
    expect(left).toBeLessThan(reference.outcome.progress.doneRequests - 1);

    const resumed = await syncInProcess(file);
    expect(resumed.outcome.status).toBe('succeeded');
    // No committed page is fetched again: the reference's pages = the killed run's + the resumed run's.
    // (The site list is cached for an hour, so the resumed run does not ask for it again.)
    expect(resumed.outcome.progress.doneRequests).toBe(reference.outcome.progress.doneRequests - 1 - left);
    expect(resumed.rows).toEqual(reference.rows);
    expect(resumed.rollups).toEqual(reference.rollups);
  });
});
