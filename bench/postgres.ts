/**
 * Washboard on Postgres beside SQLite (issue 14), on the dashboard bench's archive (20 sites × 2
 * years, ~5 million transactions, copied into Postgres with db:copy's copier and kept between runs
 * in the bench's own cluster, bench/support/postgres.ts):
 *   1. the overview and site page queries on both (p95, and p95 over a bare SELECT of the 365-day
 *      overview's rollup rows on the same database, timed alongside);
 *   2. the built overview page under 20 concurrent requests on both; target: Postgres p95 < 150 ms;
 *   3. sync ingest rows/s on both: pages of 100 transactions, each committed with its rollups,
 *      coverage and cursor (the sync's unit of work), on fresh databases.
 * Targets (issue 14): the SQLite figures stay where the dashboard and ingest benches hold them;
 * Postgres pages p95 under 150 ms at 20 concurrent.
 *
 * Standalone: `npx tsx bench/postgres.ts` (`--prepare`: only make the Postgres copy of the archive).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase, openPostgres, type AppDatabase } from '@/db';
import { copyArchive } from '@/db/copy';
import type { StoredTransaction } from '@/lib/sync/ingest';
import {
  benchServerEnv,
  benchSessions,
  bestAndMedian,
  cachePath,
  ensureBuild,
  freePort,
  generate,
  loadPairs,
  readInfo,
  runChild,
  setLoadSession,
  startBenchServer,
  waitFor,
  type DataInfo,
  type LoadRun,
  type QueryTiming,
} from './dashboard';
import { startBenchPostgres, type BenchPostgres } from './support/postgres';
import { ensureTools, WRK } from './support/tools';

const TARGET_PAGE_P95_MS = 150;
const ARCHIVE_DATABASE = 'washboard_bench_dashboard_v1';
const HTTP_RUNS = 3;
const INGEST_ROWS = 60_000;
const PAGE = 100;

export interface PostgresBenchResult {
  name: 'postgres';
  ok: boolean;
  queries: { sqlite: Record<string, QueryTiming>; postgres: Record<string, QueryTiming> };
  pages: Record<'sqlite' | 'postgres', { median: LoadRun; best: LoadRun; emptyPage: LoadRun }>;
  ingest: Record<'sqlite' | 'postgres', { rows: number; rowsPerSecond: number }>;
  copySeconds: number | null;
  summary: string;
}

async function withAdmin<T>(server: BenchPostgres, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The archive in Postgres, copied from the SQLite fixture unless an up-to-date copy is there. */
async function ensureArchive(server: BenchPostgres, file: string, info: DataInfo): Promise<number | null> {
  const url = server.databaseUrl(ARCHIVE_DATABASE);
  const exists = await withAdmin(server, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [ARCHIVE_DATABASE])).rowCount);
  if (exists) {
    const db = openPostgres(url, { migrate: false });
    try {
      const row = await db.sql.get<{ value: string }>("SELECT value FROM app_state WHERE key = 'bench.dashboard'");
      if (row && row.value === JSON.stringify(info)) return null;
    } catch {
      // An older schema or a half-made copy: made again below.
    } finally {
      await db.close();
    }
    await withAdmin(server, (c) => c.query(`DROP DATABASE "${ARCHIVE_DATABASE}" WITH (FORCE)`));
  }
  await withAdmin(server, (c) => c.query(`CREATE DATABASE "${ARCHIVE_DATABASE}"`));
  console.log(`  copying the archive into Postgres (${info.transactions.toLocaleString('en-US')} transactions)...`);
  const t0 = performance.now();
  const from = openDatabase(file, { migrate: false });
  const to = openPostgres(url);
  try {
    await copyArchive(from, to);
    await to.sql.run('ANALYZE');
  } finally {
    await from.close();
    await to.close();
  }
  return (performance.now() - t0) / 1000;
}

/** Deterministic rows of 4 sites × 30 days, in the order a sync fetches them. */
function ingestRows(): StoredTransaction[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const rows: StoredTransaction[] = [];
  const start = Date.UTC(2026, 5, 1) / 1000;
  const perDay = Math.ceil(INGEST_ROWS / 120);
  for (let site = 0; site < 4; site++) {
    for (let day = 0; day < 30; day++) {
      for (let i = 0; i < perDay; i++) {
        const redemption = rand() < 0.3;
        rows.push({
          transId: `${site}:${day}:${i}`,
          siteCode: `S${site}`,
          transNumber: day * 1000 + i,
          occurredUnix: start + day * 86_400 + 7 * 3600 + Math.floor((i / perDay) * 13 * 3600),
          localDay: new Date((start + day * 86_400) * 1000).toISOString().slice(0, 10),
          localHour: 7 + Math.floor((i / perDay) * 13),
          totalCents: redemption ? 1800 : Math.floor(rand() * 4000) - 200,
          status: rand() < 0.95 ? 'Completed' : 'Voided',
          isPlanSale: !redemption && rand() < 0.03,
          isPlanRedemption: redemption,
          customerId: redemption ? `C${i}` : null,
        });
      }
    }
  }
  return rows;
}

/** Rows/s of the sync's unit of work (a page of rows committed with its rollups) on `db`. */
async function ingestRate(db: AppDatabase, rows: readonly StoredTransaction[]): Promise<number> {
  await db.registerDatabases([{ key: 'bench', name: 'Bench', apiId: 'bench', defaultTimezone: 'America/Chicago', isDemo: false }]);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += PAGE) {
    await db.ingestor.upsert('bench', rows.slice(i, i + PAGE), Date.now());
  }
  return rows.length / ((performance.now() - t0) / 1000);
}

async function pageLoad(env: NodeJS.ProcessEnv, port: number, sessionTarget: string) {
  const [cookie = ''] = await benchSessions(sessionTarget);
  setLoadSession(cookie);
  const { server, base } = startBenchServer(env, port);
  try {
    await waitFor(`${base}/api/health`, server);
    const check = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    if (!check.ok || !(await check.text()).includes('Revenue')) throw new Error(`GET ${base}/: ${check.status}`);
    const pairs = await loadPairs(`${base}/`, `${base}/?db=none`, HTTP_RUNS);
    const page = bestAndMedian(pairs.page);
    return { ...page, emptyPage: bestAndMedian(pairs.baseline).median };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

export async function run(): Promise<PostgresBenchResult> {
  const file = cachePath();
  const info = readInfo(file) ?? generate(file);
  for (const problem of ensureTools([WRK])) console.log(`  ${problem}`);
  const server = await startBenchPostgres();
  try {
    const copySeconds = await ensureArchive(server, file, info);
    const archiveUrl = server.databaseUrl(ARCHIVE_DATABASE);

    const queries = {
      sqlite: await runChild<Record<string, QueryTiming>>('queries', { file, info }, ['react-server']),
      postgres: await runChild<Record<string, QueryTiming>>('queries', { file: archiveUrl, info }, ['react-server']),
    };

    // The servers get copies: their start-up (registering databases, a failed sync attempt) must not
    // touch the cached archives. Postgres copies a database from a template in seconds.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-pg-'));
    const sqliteCopy = path.join(dir, 'bench.db');
    fs.copyFileSync(file, sqliteCopy);
    const pgCopy = 'washboard_bench_page';
    await withAdmin(server, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${pgCopy}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${pgCopy}" TEMPLATE "${ARCHIVE_DATABASE}"`);
    });
    const pgCopyUrl = server.databaseUrl(pgCopy);
    let pages: PostgresBenchResult['pages'];
    try {
      const port = await freePort();
      ensureBuild(benchServerEnv(sqliteCopy, port));
      pages = {
        sqlite: await pageLoad(benchServerEnv(sqliteCopy, port, { BACKUP_DIR: path.join(dir, 'backups') }), port, sqliteCopy),
        postgres: await pageLoad(benchServerEnv(pgCopyUrl, port, { BACKUP_DIR: path.join(dir, 'backups-pg'), BACKUP_INTERVAL_HOURS: '0' }), port, pgCopyUrl),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await withAdmin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${pgCopy}" WITH (FORCE)`));
    }

    const rows = ingestRows();
    const ingestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-ingest-'));
    const ingestDb = 'washboard_bench_ingest';
    await withAdmin(server, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${ingestDb}" WITH (FORCE)`);
      await c.query(`CREATE DATABASE "${ingestDb}"`);
    });
    const sqliteDb = openDatabase(path.join(ingestDir, 'ingest.db'));
    const postgresDb = openPostgres(server.databaseUrl(ingestDb));
    let ingest: PostgresBenchResult['ingest'];
    try {
      ingest = {
        sqlite: { rows: rows.length, rowsPerSecond: await ingestRate(sqliteDb, rows) },
        postgres: { rows: rows.length, rowsPerSecond: await ingestRate(postgresDb, rows) },
      };
    } finally {
      await sqliteDb.close();
      await postgresDb.close();
      fs.rmSync(ingestDir, { recursive: true, force: true });
      await withAdmin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${ingestDb}" WITH (FORCE)`));
    }

    const ok = pages.postgres.median.p95 < TARGET_PAGE_P95_MS;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const n = (v: number) => Math.round(v).toLocaleString('en-US');
    const names = Object.keys(queries.sqlite);
    const summary = [
      `Postgres beside SQLite: ${n(info.transactions)} transactions, 20 sites, ${info.from} .. ${info.to}` +
        (copySeconds ? ` (copied into Postgres in ${copySeconds.toFixed(0)} s)` : ' (Postgres copy cached)'),
      `  queries, p95 (and p95 / a bare SELECT of the 365-day overview's rollup rows on the same database):`,
      `    ${''.padEnd(48)} ${'SQLite'.padStart(20)} ${'Postgres'.padStart(20)}`,
      ...names.map((name) => {
        const s = queries.sqlite[name]!;
        const p = queries.postgres[name]!;
        return `    ${name.padEnd(48)} ${`${ms(s.p95)} (${s.ratio.toFixed(2)}x)`.padStart(20)} ${`${ms(p.p95)} (${p.ratio.toFixed(2)}x)`.padStart(20)}`;
      }),
      `  overview page GET /, 20 concurrent, median of ${HTTP_RUNS} runs (target: Postgres p95 < ${TARGET_PAGE_P95_MS} ms) ${ok ? 'OK' : 'MISSED'}`,
      `    SQLite:   p50 ${ms(pages.sqlite.median.p50)}, p95 ${ms(pages.sqlite.median.p95)} (best ${ms(pages.sqlite.best.p95)}); nearly empty page p95 ${ms(pages.sqlite.emptyPage.p95)}`,
      `    Postgres: p50 ${ms(pages.postgres.median.p50)}, p95 ${ms(pages.postgres.median.p95)} (best ${ms(pages.postgres.best.p95)}); nearly empty page p95 ${ms(pages.postgres.emptyPage.p95)}`,
      `  sync ingest, pages of ${PAGE} committed with their rollups, ${n(rows.length)} rows: SQLite ${n(ingest.sqlite.rowsPerSecond)} rows/s, Postgres ${n(ingest.postgres.rowsPerSecond)} rows/s` +
        ` (${(ingest.postgres.rowsPerSecond / ingest.sqlite.rowsPerSecond).toFixed(2)}x)`,
    ].join('\n');
    return { name: 'postgres', ok, queries, pages, ingest, copySeconds, summary };
  } finally {
    server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--prepare')) {
    // Only make (or check) the Postgres copy of the archive, e.g. ahead of a run on an idle machine.
    const file = cachePath();
    const info = readInfo(file) ?? generate(file);
    const server = await startBenchPostgres();
    try {
      const seconds = await ensureArchive(server, file, info);
      console.log(seconds === null ? 'The Postgres copy of the archive is current.' : `Copied the archive into Postgres in ${seconds.toFixed(0)} s.`);
    } finally {
      server.stop();
    }
  } else {
    const result = await run();
    console.log(result.summary);
    process.exitCode = result.ok ? 0 : 1;
  }
}
