/**
 * Sync benchmark (issue #5): a full sync of the demo world for 10 days, both databases at once,
 * against the simulator with the real 20-per-15 s windows and each latency leg uniform 0-150 ms.
 *
 * Reports, per database: requests used against the lower bound (the site list plus, per site,
 * ceil(rows / 100)), 429s, and elapsed time against the physical minimum. The minimum for N
 * requests is (ceil(N / 20) - 1) × 15 s: the last window's requests go out the moment it opens.
 * Targets: elapsed ratio ≥ 0.97 for the slower database, requests ≤ 1.02 × bound, zero 429s.
 *
 * Standalone: `npx tsx bench/sync.ts` (about 2 minutes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '@/db';
import { parseEnv } from '@/lib/env';
import { startSimulator } from '@/lib/simulator';
import { createSyncRuntime } from '@/lib/sync/runtime';

export interface SyncBenchDatabase {
  database: string;
  requests: number;
  lowerBound: number;
  rows: number;
  rateLimited: number;
  elapsedMs: number;
  minimumMs: number;
}

export interface SyncBenchResult {
  name: 'sync';
  ok: boolean;
  databases: SyncBenchDatabase[];
  ratio: number;
  summary: string;
}

const DAYS = 10;
const LIMIT = 20;
const WINDOW_MS = 15_000;

export async function run(options: { days?: number } = {}): Promise<SyncBenchResult> {
  const days = options.days ?? DAYS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-sync-'));
  const sim = await startSimulator({
    throttle: { limit: LIMIT, windowMs: WINDOW_MS },
    faults: { seed: 3, requestLatencyMs: { min: 0, max: 150 }, responseLatencyMs: { min: 0, max: 150 } },
  });
  const db = openDatabase(path.join(dir, 'bench.db'));
  try {
    const runtime = await createSyncRuntime({
      // Sales only: this bench measures the v2 pacing; bench/kpis.ts measures the KPI data.
      config: parseEnv({ DATABASE_URL: path.join(dir, 'bench.db'), SYNC_KPIS: 'off' }),
      db,
      simulator: sim,
      sync: { backfillDays: days },
    });
    const started = performance.now();
    const results = (await runtime.manager.triggerAll('cli')).map(async (r) => {
      const outcome = await r.done;
      return { outcome, elapsedMs: performance.now() - started };
    });
    const finished = await Promise.all(results);
    await runtime.close();

    const databases: SyncBenchDatabase[] = finished.map(({ outcome, elapsedMs }) => {
      if (outcome.status !== 'succeeded') throw new Error(outcome.message);
      const target = runtime.targets.find((t) => t.key === outcome.databaseKey)!;
      const perSite = db.sqlite
        .prepare('SELECT site_code, sum(rows) AS rows FROM sync_chunks WHERE run_id = ? GROUP BY site_code')
        .all(outcome.runId) as { site_code: string; rows: number }[];
      const rows = perSite.reduce((n, s) => n + s.rows, 0);
      const lowerBound = 1 + perSite.reduce((n, s) => n + Math.ceil(s.rows / 100), 0);
      const rateLimited = db.sqlite
        .prepare('SELECT count(*) FROM rate_limit_requests WHERE api_id = ? AND rate_limited = 1')
        .pluck()
        .get(target.apiId) as number;
      const requests = outcome.progress.doneRequests;
      return {
        database: target.name,
        requests,
        lowerBound,
        rows,
        rateLimited,
        elapsedMs,
        minimumMs: (Math.ceil(requests / LIMIT) - 1) * WINDOW_MS,
      };
    });
    const slowest = databases.reduce((a, b) => (b.elapsedMs > a.elapsedMs ? b : a));
    const ratio = slowest.minimumMs / slowest.elapsedMs;
    const ok = ratio >= 0.97 && databases.every((d) => d.rateLimited === 0 && d.requests <= 1.02 * d.lowerBound);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const summary = [
      `Sync: demo world, ${days} days, both databases in parallel, ${LIMIT} per ${WINDOW_MS / 1000} s windows, each latency leg 0-150 ms`,
      ...databases.map(
        (d) =>
          `  ${d.database.padEnd(6)} ${d.rows.toLocaleString('en-US')} rows, ${d.requests} requests (lower bound ${d.lowerBound}, ${(d.requests / d.lowerBound).toFixed(3)}x), 429s ${d.rateLimited}, elapsed ${s(d.elapsedMs)}, minimum ${s(d.minimumMs)}, ratio ${(d.minimumMs / d.elapsedMs).toFixed(3)}`,
      ),
      `  slower database's ratio ${ratio.toFixed(3)} (target >= 0.97), requests <= 1.02x bound, zero 429s: ${ok ? 'OK' : 'MISSED'}`,
    ].join('\n');
    return { name: 'sync', ok, databases, ratio, summary };
  } finally {
    db.sqlite.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  console.log(result.summary);
}
