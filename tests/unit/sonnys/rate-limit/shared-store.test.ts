/**
 * Several processes on one API ID share one budget through the database: SQLite (one file, several
 * connections) and Postgres (several pools, as several instances of the app on one or many
 * machines have). First two connections in this process on a fake clock (deterministic), then
 * two pools on the real clock, then two real child processes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '@/lib/sonnys/rate-limit/limiter';
import { FakeClock, settle } from './support/fake-clock';
import { FixedWindowThrottle } from './support/fixed-window';
import { databaseFixtures, dropPostgresFixture, type DatabaseStoreEnv } from './support/stores';

const API = 'api-shared';
const WINDOW = 15_000;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});
afterAll(dropPostgresFixture);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface WorkerReport {
  pid: number;
  results: { sentAt: number; arrivedAt: number; respondedAt: number }[];
}

function runWorker(options: Record<string, unknown>): Promise<WorkerReport> {
  const script = path.join(import.meta.dirname, 'support', 'store-worker.ts');
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

describe.each(databaseFixtures)('$name shared by several connections', (fixture) => {
  async function create(): Promise<DatabaseStoreEnv> {
    const env = await fixture.create();
    cleanup.push(() => env.dispose());
    return env;
  }

  it('queues an interactive waiter of one connection ahead of a background waiter of another', async () => {
    const env = await create();
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

  it('prunes request records past the retention and dead waiters, not recent ones', async () => {
    const env = await create();
    const clock = new FakeClock();
    const limiter = new SharedRateLimiter({ store: env.store, clock, pruneIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) await (await limiter.acquire(API)).release({ status: 200 });
    await env.sql.run(
      "INSERT INTO rate_limit_waiters (id, api_id, priority, enqueued_at, heartbeat_at) VALUES ('dead', ?, 'background', ?, ?)",
      [API, clock.now(), clock.now()],
    );
    await clock.advance(25 * 3_600_000);
    await (await limiter.acquire(API)).release({ status: 200 });
    await settle();
    expect(await env.sql.get('SELECT count(*) AS n FROM rate_limit_requests')).toEqual({ n: 1 });
    expect(await env.sql.get('SELECT count(*) AS n FROM rate_limit_waiters')).toEqual({ n: 0 });
  });

  it('blocks the API ID for every connection after a 429 one of them saw, and forgets the recorded floors', async () => {
    const env = await create();
    const clock = new FakeClock();
    const a = new SharedRateLimiter({ store: env.store, clock, blockJitterMs: 0 });
    const b = new SharedRateLimiter({ store: env.connect(), clock, blockJitterMs: 0 });
    const first = await a.acquire(API);
    const second = await b.acquire(API);
    await clock.advance(100);
    await first.release({ status: 429, rateLimited: true });
    expect((await b.snapshot(API)).blockedUntil).toBe(clock.now() + WINDOW);
    expect([...(await env.floors()).values()]).toEqual([null, null]);
    const waiting = b.acquire(API);
    const granted = await clock.run(waiting);
    expect(granted.grantedAt).toBeGreaterThanOrEqual(first.grantedAt + 100 + WINDOW);
    await second.release({ status: 200 });
    await granted.release({ status: 200 });
  });

  // Two pools (or connections) in one process on the real clock, with the window compressed so the
  // run takes seconds: 120 requests from two limiters (as two instances of the app would send), each
  // with a pool of 20 fetches and random legs, replayed through the server's fixed window.
  it('never lets two instances together exceed the limit in any server window', async () => {
    const env = await create();
    const limit = 20;
    const windowMs = 1_000;
    const instances = [env.store, env.connect()].map(
      (store) => new SharedRateLimiter({ store, limit, windowMs, pollIntervalMs: 100, staleWaiterMs: 1_000 }),
    );
    const arrivals: number[] = [];
    const sends = instances.flatMap((limiter, index) => {
      let remaining = 60;
      return Array.from({ length: limit }, async () => {
        while (remaining > 0) {
          remaining -= 1;
          const permit = await limiter.acquire(API, { priority: index === 1 ? 'interactive' : 'background' });
          await sleep(Math.random() * 30);
          arrivals.push(Date.now());
          await sleep(Math.random() * 30);
          await permit.release({ status: 200 });
        }
      });
    });
    await Promise.all(sends);
    expect(arrivals).toHaveLength(120);
    const throttle = new FixedWindowThrottle(limit, windowMs, true);
    for (const at of arrivals.sort((x, y) => x - y)) throttle.arrive(at);
    expect(throttle.rejected).toBe(0);
  });

  it('never lets two real processes exceed the limit together in any window', async () => {
    const env = await create();
    const limit = 4;
    const windowMs = 400;
    const common = { ...env.target, apiId: API, count: 14, limit, windowMs, startAt: Date.now() + 4_000, maxLegMs: 40 };
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
