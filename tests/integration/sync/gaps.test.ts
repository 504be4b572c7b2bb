/**
 * No silent gaps (issue 13): a sync that joins a run going on still covers its own range before it
 * reports success, in one process (Sync now, the scheduler) or from two CLIs at once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { DIALECTS } from '../../support/postgres';
import { cliDatabase, compareWithTruth, scalar, startHarness, type CliDatabase, type DialectHarness as Harness } from './helpers';

const T0 = Date.parse('2026-03-10T18:00:00Z');

const chunksOf = (h: Harness, runId: number) =>
  h.db.sql.all<{ fromDay: string; toDay: string }>(
    `SELECT from_day AS "fromDay", to_day AS "toDay" FROM sync_chunks WHERE run_id = ? AND kind = 'transactions' ORDER BY from_day`,
    [runId],
  );

const expectTruth = async (h: Pick<Harness, 'db' | 'sim'>, lastDays: number, days: Set<string>, databases = ['washu']) => {
  const rows = (await compareWithTruth(h, lastDays, databases)).filter((r) => days.has(r.key.split('/')[2]!));
  expect(rows.length).toBeGreaterThanOrEqual(days.size * 4);
  for (const r of rows) expect({ key: r.key, ...r.stored }).toEqual({ key: r.key, ...r.truth });
  expect(rows.reduce((n, r) => n + r.truth.transactions!, 0)).toBeGreaterThan(100);
};

describe.each(DIALECTS)('in one process on %s', (dialect) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a range asked for during a run is synced after it, without fetching again what that run fetched since', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const today = toLocalDate(T0, 'America/Chicago');
    const running = await h.runtime.manager.trigger('washu', 'scheduled'); // what is due: the last 3 days
    const ranged = await h.runtime.manager.trigger('washu', 'cli', { from: addDays(today, -5), to: addDays(today, -1) });
    expect(ranged).toMatchObject({ joined: true, followsUp: true, runId: running.runId });

    const [first, own] = await Promise.all([running.done, ranged.done]);
    expect([first.status, own.status]).toEqual(['succeeded', 'succeeded']);
    expect(own.runId).not.toBe(first.runId);
    // The joined run fetched the last 3 days after the request (the clock is frozen at the
    // request's instant): only the 2 days before them are left to fetch.
    const ownChunks = await chunksOf(h, own.runId);
    expect(ownChunks.length).toBeGreaterThan(0);
    expect(ownChunks.every((c) => c.fromDay >= addDays(today, -5) && c.toDay <= addDays(today, -3))).toBe(true);
    await expectTruth(h, 6, new Set([0, 1, 2, 3, 4, 5].map((i) => addDays(today, -i))));
  });

  it('Sync now during a run of another range syncs what is due after it; two requests for what is due make one run', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } } });
    const today = toLocalDate(T0, 'America/Chicago');
    const ranged = await h.runtime.manager.trigger('washu', 'cli', { from: addDays(today, -9), to: addDays(today, -8) });
    const now = await h.runtime.manager.trigger('washu', 'manual');
    expect(now).toMatchObject({ joined: true, followsUp: true });
    const outcome = await now.done;
    expect(outcome.status).toBe('succeeded');
    expect(outcome.runId).not.toBe(ranged.runId);
    expect((await ranged.done).status).toBe('succeeded');
    await expectTruth(h, 10, new Set([0, 1, 2, 8, 9].map((i) => addDays(today, -i))));

    // Two requests for what is due: the second is covered by the first, no third run.
    const a = await h.runtime.manager.trigger('washu', 'scheduled');
    const b = await h.runtime.manager.trigger('washu', 'manual');
    expect(b).toMatchObject({ joined: true, followsUp: false, runId: a.runId });
    expect((await b.done).runId).toBe(a.runId);
  });
});

describe.each(DIALECTS)('two CLIs with different ranges at once on %s', { timeout: 240_000 }, (dialect) => {
  let sim: Simulator;
  let dir: string;
  let target: CliDatabase;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-gaps-'));
    target = await cliDatabase(dialect, dir, 'two');
    // Real clocks (the CLIs have no other); a slow enough throttle that the first is still running
    // when the second has started. Past days only: both ranges are settled.
    sim = await startSimulator({
      throttle: { limit: 10, windowMs: 500 },
      lateUploads: { rate: 0 },
      laterVoids: { rate: 0 },
      faults: { responseLatencyMs: { min: 20, max: 40 } },
    });
  });
  afterAll(async () => {
    await sim.close();
    await target.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('both exit 0 and both ranges are stored in full', async () => {
    const washu = sim.world.databases.find((d) => d.key === 'washu')!;
    const env = {
      ...process.env,
      DATABASE_URL: target.url,
      SONNYS_DATABASES: 'washu',
      SONNYS_WASHU_NAME: 'WashU',
      SONNYS_WASHU_API_ID: washu.apiId,
      SONNYS_WASHU_API_KEY: washu.apiKey,
      SONNYS_WASHU_BASE_URL: sim.url,
      SONNYS_RATE_LIMIT: '10/500ms',
      SYNC_KPIS: 'off',
    };
    const today = toLocalDate(Date.now(), 'America/Chicago');
    const rangeA = [addDays(today, -25), addDays(today, -8)] as const;
    const rangeB = [addDays(today, -5), addDays(today, -4)] as const;
    const cli = (range: readonly [string, string]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync.ts', '--from', range[0], '--to', range[1]], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { exited, output: () => out };
    };

    const a = cli(rangeA);
    // The second starts once the first is syncing, so it meets the first's run.
    await expect
      .poll(
        async () => {
          // (SQLite: not before the child has created the file, which opening it here would do first.)
          if (dialect === 'sqlite' && !fs.existsSync(target.url)) return 0;
          try {
            return await target.read((db) => scalar(db, 'SELECT count(*) FROM sync_chunks WHERE next_page > 1'));
          } catch {
            return 0; // the child is still creating the schema
          }
        },
        // Each child compiles the CLI with tsx first: tens of seconds on a busy 2-core machine.
        { timeout: 90_000, interval: 50 },
      )
      .toBeGreaterThan(0);
    const b = cli(rangeB);
    const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
    expect({ code: codeA, out: a.output() }).toMatchObject({ code: 0 });
    expect({ code: codeB, out: b.output() }).toMatchObject({ code: 0 });
    expect(b.output()).toMatch(/WashU: joining the sync already running \(run 1\); the rest of this range is synced when it ends\./);
    expect(b.output()).toMatch(/WashU: Synced [\d,]+ transactions from 4 sites/);

    await target.read(async (db) => {
      const days = new Set<string>();
      for (const [from, to] of [rangeA, rangeB]) for (let d = from; d <= to; d = addDays(d, 1)) days.add(d);
      const covered = await scalar(db, "SELECT count(*) FROM site_coverage WHERE database_key = 'washu'");
      expect(covered).toBe(days.size * 4);
      await expectTruth({ db, sim }, 26, days);
      expect(await scalar(db, 'SELECT count(*) FROM sync_runs')).toBe(2);
    });
  });
});
