/**
 * Fresh numbers first (issue 15): how soon the numbers a person looks at are in, against the
 * physical minimum of the requests they need, on the simulator with the real 20-per-15 s windows
 * and each latency leg uniform 0-150 ms, the demo world synced as `npm start` syncs it (its default
 * backfill, car-wash data on).
 *
 * - First screen: from the start of the sync until the last 7 local days of every site of a
 *   database are in. Its requests go first and alone, so their minimum is the physical one for the
 *   requests that went to that API ID by then, (ceil(N / 20) - 1) × 15 s. Target: within it + 2 s.
 * - Sync now during the backfill that follows: from the press until today's and yesterday's sales
 *   of every site of WashU are in. The minimum starts from the server's window at the press: the
 *   slots its current window still has, then 20 per window from the moment it ends, until the
 *   N-th request the fresh numbers need (one per page of each site's two days), plus one round
 *   trip (the slowest of N parallel ones: 300 ms). Pressed five times, spread evenly over a
 *   window, as a person presses at any moment. Target: the time to fresh numbers over all presses
 *   at most 1.05x their minimum (the ratio of the mean wait to the mean minimum; each press's own
 *   ratio is printed: a press late in a window has a minimum of two seconds, where the one round
 *   trip of the limiter learning the window's end is already 5 %).
 *
 * Standalone: `npx tsx bench/fresh.ts` (about 2 minutes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';

const LIMIT = 20;
const WINDOW_MS = 15_000;
const LEG_MS = 150;
/**
 * The fresh numbers are in when the last of their N answers is: N round trips in parallel, the
 * slowest of which comes close to the latency model's longest (two legs of 150 ms) once N is more
 * than a handful. So the minimum adds that round trip, not the mean one.
 */
const ROUND_TRIP_MS = 2 * LEG_MS;
const FIRST_SCREEN_DAYS = 7;
const FIRST_SCREEN_SLACK_MS = 2_000;
const FRESH_TARGET = 1.05;
/** Offsets into the backfill's windows at which Sync now is pressed: spread evenly over a window. */
const PRESS_PHASES_MS = [1_500, 4_500, 7_500, 10_500, 13_500];

export interface FirstScreen {
  database: string;
  requests: number;
  elapsedMs: number;
  minimumMs: number;
}

export interface FreshPress {
  requests: number;
  slotsLeftAtPress: number;
  elapsedMs: number;
  minimumMs: number;
  ratio: number;
}

export interface FreshBenchResult {
  name: 'fresh';
  ok: boolean;
  firstScreens: FirstScreen[];
  presses: FreshPress[];
  /** Sum of the presses' times to fresh numbers over the sum of their minimums. */
  freshRatio: number;
  rateLimited: number;
  summary: string;
}

interface Arrival {
  at: number;
  allowed: boolean;
}

/** The server's fixed windows over an API ID's arrivals: each opens at the first arrival after the last one ended. */
function windowAt(arrivals: readonly Arrival[], at: number): { start: number; used: number } | null {
  let start = -Infinity;
  let used = 0;
  for (const a of arrivals) {
    if (a.at > at) break;
    if (a.at >= start + WINDOW_MS) {
      start = a.at;
      used = 0;
    }
    if (a.allowed) used++;
  }
  return at < start + WINDOW_MS ? { start, used } : null;
}

/** When the n-th request sent from `at` on could reach the server at the earliest. */
function nthSlot(arrivals: readonly Arrival[], at: number, n: number): { at: number; slotsLeft: number } {
  const current = windowAt(arrivals, at);
  const slotsLeft = current ? LIMIT - current.used : LIMIT;
  if (n <= slotsLeft) return { at, slotsLeft };
  const nextOpens = current ? current.start + WINDOW_MS : at;
  return { at: nextOpens + (Math.ceil((n - slotsLeft) / LIMIT) - 1) * WINDOW_MS, slotsLeft };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return Date.now();
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function run(): Promise<FreshBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-fresh-'));
  const file = path.join(dir, 'bench.db');
  const arrivals = new Map<string, Arrival[]>();
  const sim = await startSimulator({
    throttle: {
      limit: LIMIT,
      windowMs: WINDOW_MS,
      onArrival: (apiId, at, decision) => {
        let list = arrivals.get(apiId);
        if (!list) arrivals.set(apiId, (list = []));
        list.push({ at, allowed: decision.allowed });
      },
    },
    faults: { seed: 5, requestLatencyMs: { min: 0, max: LEG_MS }, responseLatencyMs: { min: 0, max: LEG_MS } },
  });
  const db = openDatabase(file);
  const runtime = await createSyncRuntime({ config: parseEnv({ DATABASE_URL: file }), db, simulator: sim });
  try {
    const started = Date.now();
    const runs = await runtime.manager.triggerAll('startup');
    const sitesOf = (databaseKey: string) =>
      db.sqlite.prepare('SELECT code, effective_timezone AS timezone FROM sites WHERE database_key = ? AND removed_at IS NULL').all(databaseKey) as { code: string; timezone: string }[];
    const coverage = db.sqlite.prepare('SELECT count(*) FROM site_coverage WHERE database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ? AND synced_at >= ?').pluck();
    /** Every site's last `days` local days fetched since `since`. */
    const inSince = (databaseKey: string, days: number, since: number) => {
      const sites = sitesOf(databaseKey);
      return (
        sites.length > 0 &&
        sites.every((s) => {
          const today = toLocalDate(Date.now(), s.timezone);
          return (coverage.get(databaseKey, s.code, addDays(today, -(days - 1)), today, since) as number) === days;
        })
      );
    };

    // 1. First screen, per database (each has its own API ID and budget).
    const firstScreens = await Promise.all(
      runtime.targets.map(async (t): Promise<FirstScreen> => {
        const at = await until(() => inSince(t.key, FIRST_SCREEN_DAYS, started), 10 * 60_000, `${t.name}'s first screen`);
        const requests = (arrivals.get(t.apiId) ?? []).filter((a) => a.at <= at).length;
        return { database: t.name, requests, elapsedMs: at - started, minimumMs: (Math.ceil(requests / LIMIT) - 1) * WINDOW_MS };
      }),
    );

    // 2. Sync now during the backfill, at different points of WashU's windows.
    const washu = runtime.targets.find((t) => t.key === 'washu') ?? runtime.targets[0]!;
    const washuArrivals = () => arrivals.get(washu.apiId) ?? [];
    const presses: FreshPress[] = [];
    for (const phase of PRESS_PHASES_MS) {
      // Let the backfill fill a window or two first, then press `phase` ms into a window.
      await sleep(WINDOW_MS);
      const current = windowAt(washuArrivals(), Date.now());
      const windowStart = current?.start ?? Date.now();
      const pressAt = windowStart + phase + (Date.now() > windowStart + phase ? WINDOW_MS : 0);
      await sleep(pressAt - Date.now());
      const lastChunk = db.sqlite.prepare('SELECT coalesce(max(id), 0) FROM sync_chunks').pluck().get() as number;
      const pressed = Date.now();
      void runtime.manager.trigger(washu.key, 'manual').then((r) => r.done);
      const freshAt = await until(() => inSince(washu.key, 2, pressed), 5 * 60_000, 'the fresh numbers');
      // The requests the fresh numbers needed: a page per 100 rows of each site's two days.
      const chunks = db.sqlite
        .prepare("SELECT rows FROM sync_chunks WHERE id > ? AND database_key = ? AND kind = 'transactions' AND ordinal >= 1000000")
        .all(lastChunk, washu.key) as { rows: number }[];
      const requests = chunks.reduce((n, c) => n + Math.max(1, Math.ceil(c.rows / 100)), 0);
      const slot = nthSlot(washuArrivals(), pressed, requests);
      const minimumMs = slot.at - pressed + ROUND_TRIP_MS;
      const elapsedMs = freshAt - pressed;
      presses.push({ requests, slotsLeftAtPress: slot.slotsLeft, elapsedMs, minimumMs, ratio: elapsedMs / minimumMs });
    }
    const stillRunning = runs.length;
    const rateLimited = [...arrivals.values()].flat().filter((a) => !a.allowed).length;

    const firstOk = firstScreens.every((f) => f.elapsedMs <= f.minimumMs + FIRST_SCREEN_SLACK_MS);
    const freshRatio = presses.reduce((n, p) => n + p.elapsedMs, 0) / presses.reduce((n, p) => n + p.minimumMs, 0);
    const freshOk = freshRatio <= FRESH_TARGET;
    const ok = firstOk && freshOk && rateLimited === 0;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const summary = [
      `Fresh numbers: demo world as npm start syncs it (${stillRunning} databases), ${LIMIT} per ${WINDOW_MS / 1000} s windows, each latency leg 0-${LEG_MS} ms`,
      ...firstScreens.map(
        (f) =>
          `  first screen ${f.database.padEnd(6)} last ${FIRST_SCREEN_DAYS} days of every site in after ${s(f.elapsedMs)}: ${f.requests} requests, physical minimum ${s(f.minimumMs)} (target <= minimum + ${s(FIRST_SCREEN_SLACK_MS)}): ${f.elapsedMs <= f.minimumMs + FIRST_SCREEN_SLACK_MS ? 'OK' : 'MISSED'}`,
      ),
      ...presses.map(
        (p, i) =>
          `  Sync now #${i + 1} during the backfill: today and yesterday of every WashU site in after ${s(p.elapsedMs)}; ${p.requests} requests, ${p.slotsLeftAtPress} slots left in the window at the press, minimum ${s(p.minimumMs)}: ${p.ratio.toFixed(3)}x`,
      ),
      `  Sync now over ${presses.length} presses: ${freshRatio.toFixed(3)}x the minimum (target <= ${FRESH_TARGET}): ${freshOk ? 'OK' : 'MISSED'}`,
      `  429s: ${rateLimited}`,
      `  ${ok ? 'OK' : 'MISSED'}`,
    ].join('\n');
    return { name: 'fresh', ok, firstScreens, presses, freshRatio, rateLimited, summary };
  } finally {
    await runtime.close();
    db.sqlite.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  console.log(result.summary);
  process.exitCode = result.ok ? 0 : 1;
}
