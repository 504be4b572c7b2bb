/**
 * Dashboard benchmark (issue 6, targets anchored in issue 15): on 20 sites × 2 years (~5 million
 * transactions),
 *   1. the overview and site page queries for 30 and 365 days: p95 against a bare SELECT of the
 *      rollup rows a 365-day overview reads, timed alongside each query run,
 *   2. the built overview page under 20 concurrent requests: p95 against the p95 of a nearly empty
 *      page (same layout, a filter error) under the same load in the same run,
 *   3. a 1-million-row transaction CSV, through the generator and through the real route: rows/s
 *      against a bare SELECT of the same rows in the same run, and how much memory the export adds.
 * Absolute figures are printed beside every ratio; see TARGETS for how each target was chosen.
 *
 * The load comes from separate processes so the client does not share the server's event loop:
 * Debian's `wrk` (20 connections, one thread, `Accept-Encoding: gzip` as a browser sends it) for the
 * page, `curl | wc -l` for the CSV route, both installed with apt-get when missing (support/tools.ts).
 * If that fails the page falls back to fetch() from this process and says why (the ratio is still
 * judged: both pages get the same client). The machine has 2 cores and is shared, so the page and
 * the route are each measured several times and the best and median runs reported.
 *
 * Standalone: `npx tsx bench/dashboard.ts` (`--regenerate` rebuilds the data, `--no-http` skips 2
 * and the route half of 3). The generated database is cached in bench/.cache/ (gitignored) so
 * reruns skip the minute of generation. The query and CSV parts run in child processes: queries
 * need the `react-server` condition (the data layer is `server-only`), and a fresh process gives
 * an honest peak RSS for the CSV.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openDatabase } from '@/db';
import { registerDatabases } from '@/db/registry';
import { addDays, dayEndMs, toLocalDate, zoneOffsetMs } from '@/lib/calendar';
import type { ReportScope } from '@/lib/reports/scope';
import { createIngestor } from '@/db/sqlite/ingest';
import { createReportReader } from '@/db/sqlite/report-reader';
import type { StoredTransaction } from '@/lib/sync/ingest';
import { CURL, ensureTools, hasCommand, WRK } from './support/tools';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = path.join(ROOT, 'bench', '.cache');
const SITES_PER_DATABASE = 10;
const DAYS = 730;
/** ~342 a day × 20 sites × 730 days ≈ 5 million. */
const MEAN_PER_DAY = 342;
const GENERATOR_VERSION = 1;
const QUERY_RUNS = 300;
const HTTP_CONCURRENCY = 20;
const HTTP_ROUNDS = 15;
/** wrk runs per page (each after its own warm-up) and seconds per run. */
const HTTP_RUNS = 5;
const HTTP_SECONDS = 8;
const CSV_ROUTE_RUNS = 3;
/** Export and bare SELECT pairs in the generator's child. */
const CSV_PAIRS = 3;
const CSV_ROWS = 1_000_000;

/**
 * Why these numbers. Every target is a ratio to a baseline measured in the same run, so it holds on
 * a slower or busier machine (issue 15: a second machine of the same kind missed absolute targets
 * the first had met: queries 25 ms against 11.6, CSV 227k rows/s against 524k).
 * - Queries: issue 6 asked for p95 < 20 ms and the 365-day overview's page queries took 11.6 ms, a
 *   1.7x headroom. Against the baseline (a bare SELECT of that page's 7,300 rollup rows into JS,
 *   timed alongside) they measured 1.1x on the second kind of machine; 2x keeps issue 6's headroom.
 * - Page: the overview cost ~9 ms of server CPU per view against ~4 ms for the nearly empty page
 *   (636c80d), so under 20 concurrent connections on a CPU-bound server its p95 sits near 2.3x the
 *   empty page's. The second machine measured 2.0x (fetch client); this kind of machine 2.5-2.8x in
 *   interleaved wrk pairs (its render is relatively dearer than the empty page's fixed cost). 3x
 *   allows that spread and still fails a return to the 13 ms page (13 / 4 ≈ 3.3x, ~3.9x here).
 * - CSV: the export did 524-600k rows/s where the target was 300k, about 0.55 of it; against a bare
 *   SELECT of the same rows into JS, in interleaved pairs, the generator measured 0.8x and the route
 *   (through Next and curl) 0.66x. 0.5x keeps roughly issue 6's headroom on the generator and still
 *   fails a 2x slowdown of the export alone (the Intl-per-row cost fixed in 50660aa was worse).
 * - Memory: the growth over the process's (or server's) resident size before the export, since the
 *   idle size differs by machine (141 MB in all on the first, 321 MB on the second); the export
 *   grew it by 32-37 MB, so 100 MB leaves room and still catches buffering the file (~100 MB).
 */
const TARGETS = { queryP95Ratio: 2, pageP95Ratio: 3, csvRatio: 0.5, csvRssGrowthMb: 100 };

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface DashboardResult {
  name: 'dashboard';
  ok: boolean;
  data: { file: string; transactions: number; from: string; to: string; generatedSeconds: number | null };
  queries: Record<string, QueryTiming>;
  http: HttpResult | null;
  csv: {
    generator: { rows: number; rowsPerSecond: number; peakRssMb: number; rssGrowthMb: number };
    /** The bare SELECT baseline and the generator's and route's rows/s against it. */
    selectRowsPerSecond: number;
    generatorRatio: number;
    routeRatio: number | null;
    route: RouteResult | null;
  };
  /** Tools that could not be installed, one sentence each. */
  toolProblems: string[];
  summary: string;
}

/** One load run: latency percentiles of every request it made. */
export interface LoadRun extends Percentiles {
  requests: number;
  errors: number;
}

export interface HttpResult extends Percentiles {
  /** `wrk` in its own process, or fetch() from the bench process when wrk is missing. */
  client: string;
  /** Median over the interleaved pairs of runs of page p95 / nearly empty page p95. */
  ratio: number;
  concurrency: number;
  /** Every run, in order; the top-level p50/p95 are the median run's (by p95). */
  runs: LoadRun[];
  best: LoadRun;
  median: LoadRun;
  nearlyEmptyPage: { best: LoadRun; median: LoadRun };
}

export interface RouteResult {
  client: string;
  rows: number;
  /** Best and median of the runs. */
  rowsPerSecond: number;
  medianRowsPerSecond: number;
  /** The bare SELECT run after each download (median), and the median of the runs' ratios to it. */
  baselineRowsPerSecond: number;
  ratio: number;
  serverPeakRssMb: number;
  serverRssBeforeMb: number;
}

/**
 * The generator in a fresh process, alternating with a bare SELECT of the same rows, pair by pair
 * so that both meet the machine in the same state.
 */
export interface CsvChildResult {
  rows: number;
  bytes: number;
  /** Resident size just before the first export, and the most it reached during it. */
  rssBeforeMb: number;
  peakRssMb: number;
  /** Rows per second of each export and of the SELECT that followed it. */
  pairs: { exportRowsPerSecond: number; selectRowsPerSecond: number }[];
}

// ---- data ---------------------------------------------------------------------------------------

interface BenchSite {
  databaseKey: string;
  code: string;
  name: string;
  timeZone: string;
}

const BENCH_SITES: BenchSite[] = [
  ...Array.from({ length: SITES_PER_DATABASE }, (_, i) => ({
    databaseKey: 'washu',
    code: `W${String(i + 1).padStart(2, '0')}`,
    name: `WashU ${['Joliet', 'Plainfield', 'Naperville', 'Aurora', 'Bolingbrook', 'Lockport', 'Romeoville', 'Oswego', 'Minooka', 'Shorewood'][i]}`,
    timeZone: 'America/Chicago',
  })),
  ...Array.from({ length: SITES_PER_DATABASE }, (_, i) => ({
    databaseKey: 'icon',
    code: `I${String(i + 1).padStart(2, '0')}`,
    name: `Icon ${['Albany', 'Troy', 'Schenectady', 'Saratoga', 'Clifton Park', 'Latham', 'Delmar', 'Colonie', 'Glenville', 'Malta'][i]}`,
    timeZone: 'America/New_York',
  })),
];

/** Busier at midday and early evening, closed at night. Index = local hour. */
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 0, 2, 5, 7, 9, 10, 10, 9, 9, 9, 10, 9, 7, 5, 3, 1, 0, 0];
const HOUR_TABLE = HOUR_WEIGHTS.flatMap((w, h) => Array<number>(w).fill(h));

export function cachePath(): string {
  return path.join(CACHE_DIR, `dashboard-${BENCH_SITES.length}x${DAYS}-v${GENERATOR_VERSION}.db`);
}

export interface DataInfo {
  from: string;
  to: string;
  transactions: number;
}

export function readInfo(file: string): DataInfo | null {
  if (!fs.existsSync(file)) return null;
  const db = openDatabase(file, { migrate: false });
  try {
    const row = db.sqlite.prepare("SELECT value FROM app_state WHERE key = 'bench.dashboard'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as DataInfo) : null;
  } catch {
    return null;
  } finally {
    db.sqlite.close();
  }
}

/** Writes the bench database: sites, ~5 M transactions through the real ingestor, coverage and sync runs. */
export function generate(file: string): DataInfo {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
  const db = openDatabase(tmp);
  // A throwaway file: durability buys nothing while generating.
  db.sqlite.pragma('synchronous = OFF');
  db.sqlite.pragma('cache_size = -262144');
  const now = Date.now();
  const to = toLocalDate(now, 'America/Chicago');
  const from = addDays(to, -(DAYS - 1));
  registerDatabases(
    db,
    [
      { key: 'washu', name: 'WashU', apiId: 'bench-washu', defaultTimezone: 'America/Chicago', isDemo: false },
      { key: 'icon', name: 'Icon', apiId: 'bench-icon', defaultTimezone: 'America/New_York', isDemo: false },
    ],
    now - 1000,
  );
  db.sqlite.prepare("UPDATE databases SET created_at = created_at + 1 WHERE key = 'icon'").run();
  const insertSite = db.sqlite.prepare(
    `INSERT INTO sites (database_key, code, site_id, name, timezone, effective_timezone, first_seen_at, last_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  BENCH_SITES.forEach((s, i) => insertSite.run(s.databaseKey, s.code, i + 1, s.name, s.timeZone, s.timeZone, now, now));

  let seed = 20261122;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const ingest = createIngestor(db.sqlite);
  const coverage = db.sqlite.prepare('INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)');
  let total = 0;
  let id = 0;
  const BLOCK_DAYS = 30;
  for (const site of BENCH_SITES) {
    for (let start = 0; start < DAYS; start += BLOCK_DAYS) {
      const rows: StoredTransaction[] = [];
      for (let d = start; d < Math.min(DAYS, start + BLOCK_DAYS); d++) {
        const day = addDays(from, d);
        const [y, m, dd] = day.split('-').map(Number) as [number, number, number];
        const wallMidnight = Date.UTC(y, m - 1, dd) / 1000;
        // Opening hours are after 7 AM, so one offset per day is exact (DST switches at 2 AM).
        const offset = zoneOffsetMs(wallMidnight * 1000 + 12 * 3600_000, site.timeZone) / 1000;
        const weekend = new Date(wallMidnight * 1000).getUTCDay() % 6 === 0 ? 1.3 : 0.9;
        const count = Math.round(MEAN_PER_DAY * weekend * (0.85 + rand() * 0.3));
        for (let i = 0; i < count; i++) {
          const hour = HOUR_TABLE[Math.floor(rand() * HOUR_TABLE.length)]!;
          const second = Math.floor(rand() * 3600);
          const kind = rand();
          const redemption = kind < 0.3;
          const sale = !redemption && kind < 0.36;
          const refund = !redemption && kind > 0.992;
          const statusRoll = rand();
          id++;
          rows.push({
            transId: `${id}:${site.code}`,
            siteCode: site.code,
            transNumber: id,
            occurredUnix: wallMidnight + hour * 3600 + second - offset,
            localDay: day,
            localHour: hour,
            totalCents: redemption ? 2000 : sale ? (rand() < 0.5 ? 2999 : 3999) : (refund ? -1 : 1) * [1000, 1500, 2000, 2500][Math.floor(rand() * 4)]!,
            status: statusRoll < 0.97 ? 'Completed' : statusRoll < 0.99 ? 'Voided' : 'Suspended',
            isPlanSale: sale,
            isPlanRedemption: redemption,
            customerId: redemption || sale ? `C${Math.floor(rand() * 50_000)}` : null,
          });
        }
      }
      ingest.upsert(site.databaseKey, rows, now);
      total += rows.length;
    }
    db.sqlite.transaction(() => {
      for (let d = 0; d < DAYS; d++) {
        const day = addDays(from, d);
        // Every past day fetched after it ended; today fetched now (partial).
        coverage.run(site.databaseKey, site.code, day, Math.min(now, dayEndMs(day, site.timeZone) + 3600_000), dayEndMs(day, site.timeZone));
      }
    })();
    process.stdout.write(`  generated ${site.databaseKey}/${site.code}: ${total.toLocaleString('en-US')} rows so far\n`);
  }
  const runStmt = db.sqlite.prepare(
    `INSERT INTO sync_runs (database_key, trigger, status, started_at, finished_at, heartbeat_at, rows) VALUES (?, 'scheduled', 'succeeded', ?, ?, ?, 0)`,
  );
  for (const key of ['washu', 'icon']) {
    // A year of 15-minute runs, as the scheduler would leave behind.
    db.sqlite.transaction(() => {
      for (let t = now - 365 * 86_400_000; t < now; t += 15 * 60_000) runStmt.run(key, t, t + 20_000, t + 20_000);
    })();
  }
  const info: DataInfo = { from, to, transactions: total };
  db.sqlite.prepare("INSERT INTO app_state (key, value, updated_at) VALUES ('bench.dashboard', ?, ?)").run(JSON.stringify(info), now);
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  db.sqlite.exec('ANALYZE');
  db.sqlite.close();
  for (const suffix of ['-wal', '-shm']) fs.rmSync(tmp + suffix, { force: true });
  fs.renameSync(tmp, file);
  return info;
}

// ---- measuring ----------------------------------------------------------------------------------

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

/** A query's percentiles, and its p95 in units of the baseline's p95 timed alongside it. */
export interface QueryTiming extends Percentiles {
  baselineP95: number;
  ratio: number;
}

/**
 * Child role: time the data layer's page queries. Each run of a query is followed by a run of the
 * baseline, a bare SELECT of the daily rollup rows the 365-day overview aggregates (every row and
 * column into JS), so both see the same machine at the same moment; a query's target is its p95 in
 * units of the baseline's p95 (TARGETS).
 */
async function queriesChild(file: string, info: DataInfo): Promise<Record<string, QueryTiming>> {
  process.env.DATABASE_URL = file;
  const reports = await import('@/db/queries/reports');
  const { listFreshness } = await import('@/db/queries/freshness');
  const { listDatabasesWithSites } = await import('@/db/queries/databases');
  const { getSite } = await import('@/db/queries/sites');
  const { setResultReuse } = await import('@/db/queries/statements');
  const { getDb } = await import('@/db');
  // The queries themselves, not the reuse of their results (measured separately below).
  setResultReuse(false);
  const baselineSql = 'SELECT * FROM daily_rollups WHERE local_day BETWEEN $1 AND $2';
  const baselineRange = [addDays(info.to, -364), info.to];
  const db = getDb();
  // The baseline reads the rows into JS as arrays, the cheapest way each driver has.
  const baseline: () => unknown =
    db.kind === 'sqlite'
      ? (() => {
          const statement = db.sqlite.prepare(baselineSql.replace(/\$\d/g, '?')).raw(true);
          return () => statement.all(...baselineRange);
        })()
      : (() => {
          void db.ready;
          return () => db.pool.query({ text: baselineSql, values: baselineRange, rowMode: 'array' });
        })();

  const result: Record<string, QueryTiming> = {};
  const time = async (name: string, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) {
      await fn();
      await baseline();
    }
    const samples: number[] = [];
    const baselineSamples: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t0 = performance.now();
      await fn();
      const t1 = performance.now();
      await baseline();
      baselineSamples.push(performance.now() - t1);
      samples.push(t1 - t0);
    }
    const own = percentiles(samples);
    const baselineP95 = percentiles(baselineSamples).p95;
    result[name] = { ...own, baselineP95, ratio: own.p95 / baselineP95 };
  };

  for (const days of [30, 365]) {
    const all: ReportScope = { from: addDays(info.to, -(days - 1)), to: info.to };
    const site: ReportScope = { ...all, sites: [{ databaseKey: 'washu', code: 'W01' }] };
    await time(`overview ${days}d: getReportTotals`, () => reports.getReportTotals({ scope: all }));
    await time(`overview ${days}d: listDailyRevenueBySite`, () => reports.listDailyRevenueBySite({ scope: all }));
    await time(`overview ${days}d: all page queries`, async () => {
      await listDatabasesWithSites();
      await reports.getReportingTimeZone();
      await reports.getDataExtent();
      await reports.getReportTotals({ scope: all });
      await reports.listDailyRevenueBySite({ scope: all });
      await reports.listDayStatuses({ scope: all, today: info.to });
      await listFreshness({});
    });
    await time(`site ${days}d: getReportTotals`, () => reports.getReportTotals({ scope: site }));
    await time(`site ${days}d: listDailyTotals`, () => reports.listDailyTotals({ scope: site }));
    await time(`site ${days}d: listBusiestHours`, () => reports.listBusiestHours({ scope: site, today: info.to }));
    await time(`site ${days}d: all page queries`, async () => {
      await listDatabasesWithSites();
      await reports.getReportingTimeZone();
      await getSite({ databaseKey: 'washu', code: 'W01' });
      await reports.getReportTotals({ scope: site });
      await reports.listDailyTotals({ scope: site });
      await reports.listBusiestHours({ scope: site, today: info.to });
      await reports.listDayStatuses({ scope: site, today: info.to });
      await reports.getDataExtent();
      await listFreshness({ databaseKeys: ['washu'] });
    });
  }
  await time('freshness (2 databases, 20 sites)', () => listFreshness({}));
  setResultReuse(true);
  const all365: ReportScope = { from: addDays(info.to, -364), to: info.to };
  await time('overview 365d: all page queries, results reused', async () => {
    await listDatabasesWithSites();
    await reports.getReportingTimeZone();
    await reports.getDataExtent();
    await reports.getReportTotals({ scope: all365 });
    await reports.listDailyRevenueBySite({ scope: all365 });
    await reports.listDayStatuses({ scope: all365, today: info.to });
    await listFreshness({});
  });
  return result;
}

/** The most recent days holding at least `rows` stored transactions, across all sites. */
export function rangeWithRows(file: string, rows: number): { from: string; to: string; rows: number } {
  const db = openDatabase(file, { migrate: false });
  try {
    const days = db.sqlite
      .prepare('SELECT local_day AS day, sum(transactions + voided + other_status) AS n FROM daily_rollups GROUP BY local_day ORDER BY local_day DESC')
      .all() as { day: string; n: number }[];
    let sum = 0;
    for (const d of days) {
      sum += d.n;
      if (sum >= rows) return { from: d.day, to: days[0]!.day, rows: sum };
    }
    return { from: days.at(-1)!.day, to: days[0]!.day, rows: sum };
  } finally {
    db.sqlite.close();
  }
}

const SAME_ROWS_WHERE = 'database_key = ? AND site_code = ? AND local_day BETWEEN ? AND ?';

function sitesInRange(sqlite: import('better-sqlite3').Database, range: { from: string; to: string }): [string, string][] {
  return sqlite
    .prepare('SELECT DISTINCT database_key, site_code FROM daily_rollups WHERE local_day BETWEEN ? AND ? ORDER BY 1, 2')
    .raw(true)
    .all(range.from, range.to) as [string, string][];
}

/**
 * A bare SELECT of the rows the export writes: the same sites, range, columns and order (the
 * export's index), every row handed to JS, nothing formatted. The export's baseline (TARGETS).
 */
function selectSameRows(sqlite: import('better-sqlite3').Database, range: { from: string; to: string }) {
  const t0 = performance.now();
  const rowsStmt = sqlite
    .prepare(
      `SELECT local_day, occurred_unix, trans_id, trans_number, status, total_cents, is_plan_sale, is_plan_redemption, customer_id
       FROM transactions WHERE ${SAME_ROWS_WHERE} ORDER BY local_day, occurred_unix, trans_id`,
    )
    .raw(true);
  let rows = 0;
  for (const [databaseKey, siteCode] of sitesInRange(sqlite, range)) {
    for (const row of rowsStmt.iterate(databaseKey, siteCode, range.from, range.to)) if (row) rows++;
  }
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

/** Reads the same rows inside SQLite (no JS objects), so both measurements find them in the OS cache. */
function warmSameRows(sqlite: import('better-sqlite3').Database, range: { from: string; to: string }): void {
  const stmt = sqlite.prepare(
    `SELECT count(*), sum(length(trans_id) + length(status) + coalesce(length(customer_id), 0) + total_cents)
     FROM transactions WHERE ${SAME_ROWS_WHERE}`,
  );
  for (const [databaseKey, siteCode] of sitesInRange(sqlite, range)) stmt.get(databaseKey, siteCode, range.from, range.to);
}

/** Child role: stream the transaction CSV for ~1 M rows into a counting sink, each time followed by the bare SELECT. */
async function csvChild(file: string, range: { from: string; to: string }): Promise<CsvChildResult> {
  const Database = (await import('better-sqlite3')).default;
  const { transactionsExportCsv } = await import('@/lib/reports/transactions-export');
  const sqlite = new Database(file, { readonly: true });
  // As the route's connection (db/queries/exports.ts): a streaming read needs no page cache.
  sqlite.pragma('cache_size = -1024');
  // Warm the OS page cache for both, so neither pays for the first read from disk.
  warmSameRows(sqlite, range);
  const mb = (bytes: number) => bytes / 1024 / 1024;
  // The memory is the first export's, before any SELECT has left rows on the heap.
  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  let rows = 0;
  let bytes = 0;
  const pairs: CsvChildResult['pairs'] = [];
  for (let i = 0; i < CSV_PAIRS; i++) {
    const t0 = performance.now();
    bytes = 0;
    const gen = transactionsExportCsv(createReportReader(sqlite), range);
    let next = await gen.next();
    while (!next.done) {
      bytes += next.value.length;
      if (i === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
      next = await gen.next();
    }
    rows = next.value.rows;
    const exportSeconds = (performance.now() - t0) / 1000;
    const select = selectSameRows(sqlite, range);
    pairs.push({ exportRowsPerSecond: rows / exportSeconds, selectRowsPerSecond: select.rows / select.seconds });
  }
  sqlite.close();
  return { rows, bytes, rssBeforeMb: mb(rssBefore), peakRssMb: mb(peakRss), pairs };
}

/** Child role: the bare SELECT alone, after a route download (a fresh process, like the route's reads). */
async function selectChild(file: string, range: { from: string; to: string }) {
  const Database = (await import('better-sqlite3')).default;
  const sqlite = new Database(file, { readonly: true });
  sqlite.pragma('cache_size = -1024');
  warmSameRows(sqlite, range);
  const result = selectSameRows(sqlite, range);
  sqlite.close();
  return result;
}

export function runChild<T>(role: string, payload: unknown, conditions: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      cwd: ROOT,
      execArgv: [...conditions.map((c) => `--conditions=${c}`), '--import', 'tsx'],
      env: { ...process.env, WASHBOARD_BENCH_DASHBOARD_ROLE: role, WASHBOARD_BENCH_PAYLOAD: JSON.stringify(payload) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`bench child ${role} exited with ${code}`))));
  });
}

// ---- the built app -------------------------------------------------------------------------------

/**
 * Session cookies of `people` owners on the bench's copy of the database (issue 12: every page and
 * CSV needs one; the export slots count per person), made in a child so this process's
 * configuration stays on the cached data. The secret is generated beside the copy, where the
 * server finds it.
 */
async function sessionChild(file: string, people = 1): Promise<{ cookies: string[] }> {
  process.env.DATABASE_URL = file;
  const { ensureAccount } = await import('@/lib/auth/users');
  const { getAuth } = await import('@/lib/auth/config');
  const password = 'bench owner password';
  const cookies: string[] = [];
  for (let i = 0; i < people; i++) {
    const email = i === 0 ? 'bench@example.com' : `bench${i}@example.com`;
    await ensureAccount({ email, role: 'owner', sites: [], password, isDemo: false });
    const { headers } = await (await getAuth()).api.signInEmail({
      body: { email, password },
      headers: new Headers({ 'x-forwarded-for': '127.0.0.1' }),
      returnHeaders: true,
    });
    cookies.push(headers.getSetCookie().map((c) => c.split(';')[0]!).join('; '));
  }
  return { cookies };
}

/** The session cookies of `people` owners on `file` (a copy the bench server will serve). */
export async function benchSessions(file: string, people = 1): Promise<string[]> {
  return (await runChild<{ cookies: string[] }>('session', { file, people })).cookies;
}

const BUILD_SOURCES = ['app', 'components', 'lib', 'db', 'public', 'next.config.ts', 'instrumentation.ts', 'proxy.ts', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function ensureBuild(env: NodeJS.ProcessEnv): void {
  const buildId = path.join(ROOT, '.next', 'BUILD_ID');
  if (fs.existsSync(buildId) && BUILD_SOURCES.every((s) => newestMtime(s) <= fs.statSync(buildId).mtimeMs)) return;
  console.log('  building the app (next build)...');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('next build failed');
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The signed-in owner's cookie for every request the bench sends (set once the server's copy is ready). */
let sessionCookie = '';
/** The session the load client and downloads send (one of {@link benchSessions}). */
export function setLoadSession(cookie: string): void {
  sessionCookie = cookie;
}
const withSession = (): Record<string, string> => (sessionCookie ? { Cookie: sessionCookie } : {});

export async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer ${url} in time`);
}

export function peakRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** Runs a command to completion, returning its stdout. */
function runCommand(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

// wrk reports latencies in microseconds; this prints the run's figures as one JSON line.
const wrkScript = () => `
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
wrk.headers["Cookie"] = "${sessionCookie}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"errors":%d,"p50":%.3f,"p95":%.3f}\\n', summary.requests,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
`;

interface LoadClient {
  name: string;
  /** One load run of HTTP_CONCURRENCY connections against `url`, after a short warm-up. */
  run(url: string): Promise<LoadRun>;
  close(): void;
}

function loadClient(): LoadClient {
  if (hasCommand('wrk')) {
    const script = path.join(os.tmpdir(), `washboard-bench-wrk-${process.pid}.lua`);
    fs.writeFileSync(script, wrkScript());
    return {
      name: `wrk (separate process), ${HTTP_CONCURRENCY} connections, ${HTTP_SECONDS} s per run, Accept-Encoding: gzip`,
      async run(url) {
        await runCommand('wrk', ['-t1', `-c${HTTP_CONCURRENCY}`, '-d2s', '-s', script, url]);
        const out = await runCommand('wrk', ['-t1', `-c${HTTP_CONCURRENCY}`, `-d${HTTP_SECONDS}s`, '-s', script, url]);
        return JSON.parse(out.trim().split('\n').at(-1)!) as LoadRun;
      },
      close: () => fs.rmSync(script, { force: true }),
    };
  }
  const get = async (url: string) => {
    const t0 = performance.now();
    const response = await fetch(url, { headers: withSession() });
    await response.text();
    return { ms: performance.now() - t0, ok: response.ok };
  };
  return {
    name: `fetch() in the bench process (wrk not installed: the client shares the CPU), ${HTTP_ROUNDS} rounds of ${HTTP_CONCURRENCY}`,
    async run(url) {
      for (let i = 0; i < 10; i++) await get(url);
      const samples: { ms: number; ok: boolean }[] = [];
      for (let round = 0; round < HTTP_ROUNDS; round++) {
        samples.push(...(await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, () => get(url)))));
      }
      return { ...percentiles(samples.map((x) => x.ms)), requests: samples.length, errors: samples.filter((x) => !x.ok).length };
    },
    close: () => undefined,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The best and the median run by p95. */
export function bestAndMedian(runs: readonly LoadRun[]): { best: LoadRun; median: LoadRun } {
  const sorted = [...runs].sort((a, b) => a.p95 - b.p95);
  return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

/**
 * `runs` pairs of load runs, the page then its baseline, so that both runs of a pair meet the
 * machine in the same state (other work on a shared machine comes and goes between minutes); the
 * ratio is the median of the pairs' p95 ratios.
 */
export async function loadPairs(pageUrl: string, baselineUrl: string, runs: number) {
  const client = loadClient();
  try {
    const page: LoadRun[] = [];
    const baseline: LoadRun[] = [];
    for (let i = 0; i < runs; i++) {
      page.push(await client.run(pageUrl));
      baseline.push(await client.run(baselineUrl));
    }
    return { client: client.name, page, baseline, ratio: median(page.map((run, i) => run.p95 / baseline[i]!.p95)) };
  } finally {
    client.close();
  }
}

/** Downloads the CSV route once, counting lines: `curl | wc -l` when there is curl, else fetch(). */
async function downloadCsv(url: string): Promise<{ rows: number; rowsPerSecond: number }> {
  const t0 = performance.now();
  let lines = 0;
  if (hasCommand('curl')) {
    lines = Number((await runCommand('sh', ['-c', `curl -sS --fail -H 'Cookie: ${sessionCookie}' '${url}' | wc -l`])).trim());
  } else {
    const response = await fetch(url, { headers: withSession() });
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  // Lines include the header.
  return { rows: lines, rowsPerSecond: (lines - 1) / seconds };
}

/** `next start` of the built app on `port` with `env` (from {@link benchServerEnv}); wait for `${base}/api/health` before use. */
export function startBenchServer(env: NodeJS.ProcessEnv, port: number): { server: ChildProcess; base: string } {
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { server, base: `http://127.0.0.1:${port}` };
}

/**
 * The environment of a production server on a copy of the bench database: live mode with the bench's
 * two databases, whose base URL goes nowhere (nothing leaves the machine), and no scheduled sync.
 */
export function benchServerEnv(file: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    DATABASE_URL: file,
    SYNC_INTERVAL_MINUTES: '0',
    SONNYS_DATABASES: 'washu,icon',
    SONNYS_WASHU_API_ID: 'bench-washu',
    SONNYS_WASHU_API_KEY: 'bench',
    SONNYS_WASHU_NAME: 'WashU',
    SONNYS_WASHU_BASE_URL: 'http://127.0.0.1:9',
    SONNYS_ICON_API_ID: 'bench-icon',
    SONNYS_ICON_API_KEY: 'bench',
    SONNYS_ICON_NAME: 'Icon',
    SONNYS_ICON_TIMEZONE: 'America/New_York',
    SONNYS_ICON_BASE_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

async function httpBench(file: string, csvRange: { from: string; to: string }) {
  // The server gets a copy: its start-up (registering databases, a failed sync attempt) must not
  // touch the cached data.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-http-'));
  const copy = path.join(dir, 'bench.db');
  fs.copyFileSync(file, copy);
  const port = await freePort();
  const env = benchServerEnv(copy, port);
  ensureBuild(env);
  [sessionCookie = ''] = await benchSessions(copy);
  const { server, base } = startBenchServer(env, port);
  try {
    await waitFor(`${base}/api/health`, server);
    // What the load will ask for must be the real page, not an error.
    const check = await fetch(`${base}/`, { headers: withSession() });
    if (!check.ok || !(await check.text()).includes('Revenue')) throw new Error(`GET ${base}/: ${check.status}`);

    // The CSV first, on a fresh server, so its peak RSS is the export's and not the page renders'.
    // Each download is paired with a bare SELECT of the same rows in a fresh child right after it.
    const rssBefore = peakRssMb(server.pid!);
    const csvUrl = `${base}/api/reports/transactions?from=${csvRange.from}&to=${csvRange.to}`;
    const routeRuns: { rows: number; rowsPerSecond: number; baseline: number }[] = [];
    for (let i = 0; i < CSV_ROUTE_RUNS; i++) {
      const download = await downloadCsv(csvUrl);
      const select = await runChild<{ rows: number; seconds: number }>('select', { file, range: csvRange });
      routeRuns.push({ ...download, baseline: select.rows / select.seconds });
    }
    const byRate = [...routeRuns].sort((a, b) => b.rowsPerSecond - a.rowsPerSecond);
    const route: RouteResult = {
      client: hasCommand('curl') ? 'curl | wc -l (separate processes)' : 'fetch() in the bench process',
      rows: byRate[0]!.rows - 1,
      rowsPerSecond: (byRate[0]!.rows - 1) / (byRate[0]!.rows / byRate[0]!.rowsPerSecond),
      medianRowsPerSecond: median(routeRuns.map((r) => r.rowsPerSecond)),
      baselineRowsPerSecond: median(routeRuns.map((r) => r.baseline)),
      ratio: median(routeRuns.map((r) => r.rowsPerSecond / r.baseline)),
      serverPeakRssMb: peakRssMb(server.pid!),
      serverRssBeforeMb: rssBefore,
    };

    // The page against the same load on a page with the same layout and nearly no content (a bad filter).
    const pairs = await loadPairs(`${base}/`, `${base}/?db=none`, HTTP_RUNS);
    const page = bestAndMedian(pairs.page);
    const floor = bestAndMedian(pairs.baseline);
    const http: HttpResult = {
      client: pairs.client,
      ratio: pairs.ratio,
      concurrency: HTTP_CONCURRENCY,
      p50: page.median.p50,
      p95: page.median.p95,
      runs: pairs.page,
      best: page.best,
      median: page.median,
      nearlyEmptyPage: { best: floor.best, median: floor.median },
    };
    return { http, route };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- run ------------------------------------------------------------------------------------------

export async function run(options: { regenerate?: boolean; http?: boolean } = {}): Promise<DashboardResult> {
  const file = cachePath();
  let info = options.regenerate ? null : readInfo(file);
  let generatedSeconds: number | null = null;
  if (!info) {
    console.log(`Generating the dashboard bench database (${BENCH_SITES.length} sites × ${DAYS} days) in ${path.relative(ROOT, file)}...`);
    const t0 = performance.now();
    info = generate(file);
    generatedSeconds = (performance.now() - t0) / 1000;
  }

  // The page and the route are measured from their own processes: install wrk and curl if need be.
  const toolProblems = options.http === false ? [] : ensureTools([WRK, CURL]);
  for (const problem of toolProblems) console.log(`  ${problem}`);

  const queries = await runChild<Record<string, QueryTiming>>('queries', { file, info }, ['react-server']);
  const csvRange = rangeWithRows(file, CSV_ROWS);
  const generator = await runChild<CsvChildResult>('csv', { file, range: csvRange });
  const live = options.http === false ? null : await httpBench(file, csvRange);

  const queryOk = Object.values(queries).every((q) => q.ratio <= TARGETS.queryP95Ratio);
  const baselineP95 = percentiles(Object.values(queries).map((q) => q.baselineP95)).p50;
  const rowsPerSecond = median(generator.pairs.map((p) => p.exportRowsPerSecond));
  const selectRowsPerSecond = median(generator.pairs.map((p) => p.selectRowsPerSecond));
  const generatorRatio = median(generator.pairs.map((p) => p.exportRowsPerSecond / p.selectRowsPerSecond));
  const rssGrowthMb = generator.peakRssMb - generator.rssBeforeMb;
  const csvOk = generatorRatio >= TARGETS.csvRatio && rssGrowthMb <= TARGETS.csvRssGrowthMb;
  // Judged on the median of the runs, not the best.
  const routeRatio = live ? live.route.ratio : null;
  const routeGrowthMb = live ? live.route.serverPeakRssMb - live.route.serverRssBeforeMb : 0;
  const routeOk = !live || (routeRatio! >= TARGETS.csvRatio && routeGrowthMb <= TARGETS.csvRssGrowthMb);
  const httpOk = !live || live.http.ratio <= TARGETS.pageP95Ratio;
  const ok = queryOk && csvOk && routeOk && httpOk;

  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const mark = (good: boolean) => (good ? 'OK' : 'MISSED');
  const summary = [
    `Dashboard: ${n(info.transactions)} transactions, ${BENCH_SITES.length} sites, ${info.from} .. ${info.to}` +
      (generatedSeconds ? ` (generated in ${generatedSeconds.toFixed(0)} s)` : ' (cached)'),
    `  queries, p95 in units of a bare SELECT of the 365-day overview's ${n(BENCH_SITES.length * 365)} rollup rows timed alongside ` +
      `(its p95 ${ms(baselineP95)}; target <= ${TARGETS.queryP95Ratio}x each) ${mark(queryOk)}`,
    `    ${''.padEnd(44)} ${'p50'.padStart(10)} / ${'p95'.padStart(10)}  p95 / baseline`,
    ...Object.entries(queries).map(
      ([name, q]) => `    ${name.padEnd(44)} ${ms(q.p50).padStart(10)} / ${ms(q.p95).padStart(10)}  ${q.ratio.toFixed(2).padStart(6)}x`,
    ),
    live
      ? `  overview page GET /, ${live.http.concurrency} concurrent, ${live.http.runs.length} runs; client: ${live.http.client}\n` +
        `    p95 ${live.http.ratio.toFixed(2)}x the nearly empty page's (median of ${live.http.runs.length} interleaved pairs; target <= ${TARGETS.pageP95Ratio}x) ${mark(httpOk)}\n` +
        `    page: median run p50 ${ms(live.http.median.p50)}, p95 ${ms(live.http.median.p95)}; best run p50 ${ms(live.http.best.p50)}, p95 ${ms(live.http.best.p95)}\n` +
        `    every run's p95: ${live.http.runs.map((r) => r.p95.toFixed(0)).join(', ')} ms (${live.http.runs.map((r) => r.requests).join(', ')} requests, ${live.http.runs.reduce((e, r) => e + r.errors, 0)} errors)\n` +
        `    nearly empty page (same layout, a filter error), same load: median run p95 ${ms(live.http.nearlyEmptyPage.median.p95)}, best ${ms(live.http.nearlyEmptyPage.best.p95)}`
      : '  overview page: skipped (--no-http)',
    `  transactions CSV, generator: ${generatorRatio.toFixed(2)}x a bare SELECT of the same rows into JS (median of ${generator.pairs.length} pairs; ` +
      `target >= ${TARGETS.csvRatio}x), +${rssGrowthMb.toFixed(0)} MB over the process's size (target <= ${TARGETS.csvRssGrowthMb} MB) ${mark(csvOk)}\n` +
      `    ${n(generator.rows)} rows: export median ${n(rowsPerSecond)} rows/s, bare SELECT median ${n(selectRowsPerSecond)} rows/s; ` +
      `resident ${generator.rssBeforeMb.toFixed(0)} MB before, peak ${generator.peakRssMb.toFixed(0)} MB`,
    live
      ? `  transactions CSV, route (${live.route.client}): ${routeRatio!.toFixed(2)}x the bare SELECT run after each download (median of ${CSV_ROUTE_RUNS}), ` +
        `+${routeGrowthMb.toFixed(0)} MB over the server's size ${mark(routeOk)}\n` +
        `    ${n(live.route.rows)} rows, route median ${n(live.route.medianRowsPerSecond)} rows/s (best ${n(live.route.rowsPerSecond)}), bare SELECT median ${n(live.route.baselineRowsPerSecond)} rows/s, ` +
        `server peak RSS ${live.route.serverPeakRssMb.toFixed(0)} MB (${live.route.serverRssBeforeMb.toFixed(0)} MB before)`
      : '  transactions CSV, route: skipped (--no-http)',
  ].join('\n');

  return {
    name: 'dashboard',
    ok,
    data: { file, transactions: info.transactions, from: info.from, to: info.to, generatedSeconds },
    queries,
    http: live?.http ?? null,
    csv: {
      generator: { rows: generator.rows, rowsPerSecond, peakRssMb: generator.peakRssMb, rssGrowthMb },
      selectRowsPerSecond,
      generatorRatio,
      routeRatio,
      route: live?.route ?? null,
    },
    toolProblems,
    summary,
  };
}

const role = process.env.WASHBOARD_BENCH_DASHBOARD_ROLE;
if (role) {
  const payload = JSON.parse(process.env.WASHBOARD_BENCH_PAYLOAD ?? '{}');
  const result =
    role === 'queries'
      ? await queriesChild(payload.file, payload.info)
      : role === 'select'
        ? await selectChild(payload.file, payload.range)
        : role === 'session'
          ? await sessionChild(payload.file, payload.people)
          : await csvChild(payload.file, payload.range);
  process.send!(result, () => process.exit(0));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run({ regenerate: process.argv.includes('--regenerate'), http: !process.argv.includes('--no-http') });
  console.log(result.summary);
  process.exitCode = result.ok ? 0 : 1;
}
