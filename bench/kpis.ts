/**
 * Car-wash KPI data benchmark (issue 11): what the wash lists, plan-sale verifications and clock
 * entries cost in requests against their lower bound, and what a backfill of the demo's WashU
 * takes with and without them, measured against the simulator.
 *
 * Lower bound, for the days synced (from the simulator's truth, never from our own tables):
 * - wash lists: per site, per range of at most 31 days the API accepts, ceil(listed / 100) pages
 *   (at least one), over the fewest such ranges that cover the days;
 * - verification: per site-day, the cheaper of one detail call per Completed plan sale, or two
 *   requests (submit, read) per page of 100 of the day's load-job data; none without plan sales;
 * - labor: the employee list, then every employee once per 14-day window over the days and the
 *   day either side (the endpoint's day filter does not say its zone).
 * Target: the KPI requests are at most 1.1x the bound, and today's revenue is in as soon as
 * without the KPIs (the first screen's sales go first and alone).
 *
 * The backfill runs with a shrunken throttle (20 per 250 ms), and the time is also given at the
 * API's real pace, requests × 15 s / 20, which is what a fully paced sync takes.
 *
 * Standalone: `npx tsx bench/kpis.ts [days]` (about 5 minutes for 180 days).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { addDays, daysBetween, toLocalDate } from '@/lib/calendar';
import { loadJobChunks } from '@/lib/sonnys';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';

const LIMIT = 20;
const FAST_WINDOW_MS = 250;
const REAL_WINDOW_MS = 15_000;
const DEFAULT_DAYS = 180;

type Kind = 'sales' | 'washes' | 'verification' | 'labor' | 'sites';

function kindOf(url: string): Kind {
  const p = new URL(url).pathname;
  if (p.endsWith('/transaction/version-2')) return 'sales';
  if (p.endsWith('/transaction/type/wash')) return 'washes';
  if (p.includes('/employee')) return 'labor';
  if (p.endsWith('/site/list')) return 'sites';
  return 'verification'; // /transaction/{id}, load-job, get-job-data
}

interface RunFigures {
  requests: Record<Kind, number>;
  elapsedMs: number;
  /** When today's and yesterday's sales of every site were in (ms after start). */
  freshMs: number;
  ok: boolean;
  message: string;
}

async function backfill(sim: Simulator, days: number, kpis: boolean): Promise<RunFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-kpis-'));
  const file = path.join(dir, 'bench.db');
  const db = openDatabase(file);
  const requests: Record<Kind, number> = { sales: 0, washes: 0, verification: 0, labor: 0, sites: 0 };
  const counting: typeof fetch = (input, init) => {
    requests[kindOf(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)]++;
    return fetch(input, init);
  };
  try {
    const runtime = await createSyncRuntime({
      config: parseEnv({ DATABASE_URL: file, SONNYS_RATE_LIMIT: `${LIMIT}/${FAST_WINDOW_MS}ms`, SYNC_KPIS: kpis ? 'on' : 'off' }),
      db,
      simulator: sim,
      client: { fetch: counting },
      sync: { backfillDays: days, now: () => sim.clock.now() },
    });
    sim.resetThrottle();
    const started = performance.now();
    const today = toLocalDate(sim.clock.now(), 'America/Chicago');
    let freshMs = Number.NaN;
    const watch = setInterval(() => {
      if (!Number.isNaN(freshMs)) return;
      const fresh = db.sqlite
        .prepare("SELECT count(*) FROM site_coverage WHERE database_key = 'washu' AND local_day >= ?")
        .pluck()
        .get(addDays(today, -1)) as number;
      if (fresh >= 8) freshMs = performance.now() - started;
    }, 20);
    const outcome = await (await runtime.manager.trigger('washu', 'cli')).done;
    clearInterval(watch);
    const elapsedMs = performance.now() - started;
    await runtime.close();
    // A short backfill is one range per site: its days are in when the run's sales end.
    if (Number.isNaN(freshMs)) freshMs = elapsedMs;
    return { requests, elapsedMs, freshMs, ok: outcome.status === 'succeeded', message: outcome.message };
  } finally {
    db.sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The KPI requests' lower bound for WashU's last `days` days, from the simulator's truth. */
function lowerBound(sim: Simulator, days: number): Record<'washes' | 'verification' | 'labor', number> {
  const database = sim.world.databases.find((d) => d.key === 'washu')!;
  let washes = 0;
  let verification = 0;
  for (const site of database.sites) {
    const zone = sim.truth.timezoneOf('washu', site.code);
    const today = toLocalDate(sim.clock.now(), zone);
    const first = addDays(today, -(days - 1));
    for (let start = first; start <= today; start = addDays(start, 31)) {
      const end = daysBetween(start, today) >= 30 ? addDays(start, 30) : today;
      let listed = 0;
      for (let d = start; d <= end; d = addDays(d, 1)) listed += sim.truth.transactions({ database: 'washu', site: site.code, day: d }).filter((t) => t.inWashList).length;
      washes += Math.max(1, Math.ceil(listed / 100));
    }
    for (let d = first; d <= today; d = addDays(d, 1)) {
      const rows = sim.truth.transactions({ database: 'washu', site: site.code, day: d });
      const candidates = rows.filter((t) => t.status === 'Completed' && t.isRecurringPlanSale).length;
      if (!candidates) continue;
      const windows = loadJobChunks(d, d, zone, sim.clock.now());
      const perWindow = windows.map((w) => rows.filter((t) => Date.parse(t.date) / 1000 >= w.startDate && Date.parse(t.date) / 1000 <= w.endDate).length);
      verification += Math.min(candidates, perWindow.reduce((n, r) => n + 2 * Math.max(1, Math.ceil(r / 100)), 0));
    }
  }
  const employees = sim.truth.employees('washu').length;
  const labor = 1 + employees * Math.ceil((days + 2) / 14);
  return { washes, verification, labor };
}

export interface KpisBenchResult {
  name: 'kpis';
  ok: boolean;
  summary: string;
  days: number;
  requests: Record<Kind, number>;
  bound: Record<'washes' | 'verification' | 'labor', number>;
  ratio: number;
  withKpisMs: number;
  withoutKpisMs: number;
  freshWithMs: number;
  freshWithoutMs: number;
}

export async function run(options: { days?: number } = {}): Promise<KpisBenchResult> {
  const days = options.days ?? DEFAULT_DAYS;
  // Noon in Chicago on a weekday, the data clock frozen so both runs see the same world.
  const sim = await startSimulator({
    throttle: { limit: LIMIT, windowMs: FAST_WINDOW_MS },
    clock: { start: Date.parse('2026-03-10T18:00:00Z'), frozen: true },
    lateUploads: { rate: 0 },
    laterVoids: { rate: 0 },
  });
  try {
    const without = await backfill(sim, days, false);
    sim.clearCaches();
    const withKpis = await backfill(sim, days, true);
    if (!without.ok || !withKpis.ok) throw new Error(`${without.message} / ${withKpis.message}`);
    const bound = lowerBound(sim, days);
    const kpiRequests = withKpis.requests.washes + withKpis.requests.verification + withKpis.requests.labor;
    const kpiBound = bound.washes + bound.verification + bound.labor;
    const ratio = kpiRequests / kpiBound;
    // "As fresh as before": today's sales in within one more window of the fast throttle.
    const freshOk = withKpis.freshMs <= without.freshMs + FAST_WINDOW_MS * 2;
    const ok = ratio <= 1.1 && freshOk;
    const real = (requests: number) => `${((requests * REAL_WINDOW_MS) / LIMIT / 60_000).toFixed(0)} min`;
    const totalWith = Object.values(withKpis.requests).reduce((a, b) => a + b, 0);
    const totalWithout = Object.values(without.requests).reduce((a, b) => a + b, 0);
    const siteDays = 4 * days;
    const summary = [
      `KPI data: demo WashU, ${days} days (${siteDays} site-days), simulator at ${LIMIT} per ${FAST_WINDOW_MS} ms`,
      `  wash lists    ${withKpis.requests.washes} requests (bound ${bound.washes}, ${(withKpis.requests.washes / bound.washes).toFixed(3)}x), ${(withKpis.requests.washes / siteDays).toFixed(2)} per site-day`,
      `  verification  ${withKpis.requests.verification} requests (bound ${bound.verification}, ${(withKpis.requests.verification / Math.max(1, bound.verification)).toFixed(3)}x), ${(withKpis.requests.verification / siteDays).toFixed(2)} per site-day`,
      `  labor         ${withKpis.requests.labor} requests (bound ${bound.labor}, ${(withKpis.requests.labor / bound.labor).toFixed(3)}x)`,
      `  KPI data in all: ${kpiRequests} requests against a lower bound of ${kpiBound}: ${ratio.toFixed(3)}x (target <= 1.1)`,
      `  backfill without KPIs: ${totalWithout} requests, ${(without.elapsedMs / 1000).toFixed(1)} s here, ${real(totalWithout)} at the API's pace`,
      `  backfill with KPIs:    ${totalWith} requests, ${(withKpis.elapsedMs / 1000).toFixed(1)} s here, ${real(totalWith)} at the API's pace`,
      `  today's and yesterday's sales of every site in after ${(without.freshMs / 1000).toFixed(2)} s without KPIs, ${(withKpis.freshMs / 1000).toFixed(2)} s with them: ${freshOk ? 'as fresh' : 'LATER'}`,
      `  ${ok ? 'OK' : 'MISSED'}`,
    ].join('\n');
    return {
      name: 'kpis',
      ok,
      summary,
      days,
      requests: withKpis.requests,
      bound,
      ratio,
      withKpisMs: withKpis.elapsedMs,
      withoutKpisMs: without.elapsedMs,
      freshWithMs: withKpis.freshMs,
      freshWithoutMs: without.freshMs,
    };
  } finally {
    await sim.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ days: Number(process.argv[2] ?? DEFAULT_DAYS) });
  console.log(result.summary);
}
