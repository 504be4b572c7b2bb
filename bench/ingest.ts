/**
 * Ingest benchmark (issue #5): rows per second upserted the way the sync does it (pages of 100,
 * each committed with its daily and hourly rollups), against a raw better-sqlite3 prepared upsert
 * of the same rows in one transaction, on fresh files with the real migrations. Target ≥ 0.7.
 *
 * Standalone: `npx tsx bench/ingest.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '@/db';
import { createIngestor } from '@/db/sqlite/ingest';
import type { StoredTransaction } from '@/lib/sync/ingest';

export interface IngestResult {
  name: 'ingest';
  ok: boolean;
  rows: number;
  rawRowsPerSecond: number;
  ingestRowsPerSecond: number;
  ratio: number;
  /** The same comparison with a commit per page of 100, as the sync commits. */
  pagedRatio: number;
  summary: string;
}

/**
 * Both sides run in this process on the same rows and fresh files, so the ratio holds on a slower
 * machine. The ingestor does the raw upsert's work plus a read and a write of the day's and the
 * hour's rollup per row; 0.7 is what issue #5 accepted for that (the sync needs ~130 rows/s per
 * database, four orders of magnitude below either), and it fails if the rollup upkeep doubles.
 */
const TARGET = 0.7;
const PAGE = 100;

/** Deterministic rows: 8 sites × 90 days × ~350 a day, in page order (site, day, time). */
function makeRows(): StoredTransaction[] {
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const rows: StoredTransaction[] = [];
  const start = Date.UTC(2026, 5, 1) / 1000;
  const statuses = ['Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Voided'];
  for (let site = 0; site < 8; site++) {
    for (let day = 0; day < 90; day++) {
      const n = 300 + Math.floor(rand() * 100);
      for (let i = 0; i < n; i++) {
        const occurred = start + day * 86_400 + 7 * 3600 + Math.floor((i / n) * 13 * 3600);
        const redemption = rand() < 0.3;
        rows.push({
          transId: `${day * 1000 + i}:${site + 1}`,
          siteCode: `SITE${site}`,
          transNumber: day * 1000 + i,
          occurredUnix: occurred,
          localDay: new Date((start + day * 86_400) * 1000).toISOString().slice(0, 10),
          localHour: 7 + Math.floor((i / n) * 13),
          totalCents: redemption ? 1800 : Math.floor(rand() * 4000) - 200,
          status: statuses[Math.floor(rand() * statuses.length)]!,
          isPlanSale: !redemption && rand() < 0.03,
          isPlanRedemption: redemption,
          customerId: redemption ? `${i}:1` : null,
        });
      }
    }
  }
  return rows;
}

const RAW_UPSERT = `
INSERT INTO transactions (database_key, trans_id, site_code, trans_number, occurred_unix, local_day, local_hour,
  total_cents, status, is_plan_sale, is_plan_redemption, customer_id, synced_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (database_key, trans_id) DO UPDATE SET
  site_code = excluded.site_code, trans_number = excluded.trans_number, occurred_unix = excluded.occurred_unix,
  local_day = excluded.local_day, local_hour = excluded.local_hour, total_cents = excluded.total_cents,
  status = excluded.status, is_plan_sale = excluded.is_plan_sale, is_plan_redemption = excluded.is_plan_redemption,
  customer_id = excluded.customer_id, synced_at = excluded.synced_at`;

function best(runs: number, fn: () => number): number {
  let top = 0;
  for (let i = 0; i < runs; i++) top = Math.max(top, fn());
  return top;
}

export async function run(): Promise<IngestResult> {
  const rows = makeRows();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-bench-ingest-'));
  let n = 0;
  const fresh = () => openDatabase(path.join(dir, `b${n++}.db`));
  /** Rows per second loading `rows` in transactions of `batch` rows, raw or through the ingestor. */
  const measure = (kind: 'raw' | 'ingest', batch: number) =>
    best(3, () => {
      const db = fresh();
      const stmt = db.sqlite.prepare(RAW_UPSERT);
      const rawBatch = db.sqlite.transaction((slice: StoredTransaction[]) => {
        for (const r of slice) {
          stmt.run('washu', r.transId, r.siteCode, r.transNumber, r.occurredUnix, r.localDay, r.localHour, r.totalCents, r.status,
            r.isPlanSale ? 1 : 0, r.isPlanRedemption ? 1 : 0, r.customerId, 0);
        }
      });
      const ingestor = createIngestor(db.sqlite);
      const t0 = performance.now();
      for (let i = 0; i < rows.length; i += batch) {
        const slice = rows.slice(i, i + batch);
        if (kind === 'raw') rawBatch(slice);
        else ingestor.upsert('washu', slice, 0);
      }
      const seconds = (performance.now() - t0) / 1000;
      db.sqlite.close();
      return rows.length / seconds;
    });
  try {
    const raw = measure('raw', rows.length);
    const ingest = measure('ingest', rows.length);
    const rawPaged = measure('raw', PAGE);
    const ingestPaged = measure('ingest', PAGE);
    const ratio = ingest / raw;
    const pagedRatio = ingestPaged / rawPaged;
    const ok = ratio >= TARGET;
    const f = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
    const summary = [
      `Ingest: ${rows.length.toLocaleString('en-US')} rows (8 sites x 90 days), best of 3, fresh files with the real migrations`,
      `  one transaction      raw prepared upsert ${f(raw)} rows/s | upsert + daily/hourly rollups ${f(ingest)} rows/s | ratio ${ratio.toFixed(3)} (target >= ${TARGET}) ${ok ? 'OK' : 'MISSED'}`,
      `  a commit per page    raw prepared upsert ${f(rawPaged)} rows/s | upsert + daily/hourly rollups ${f(ingestPaged)} rows/s | ratio ${pagedRatio.toFixed(3)}`,
      `  (the sync commits each page of ${PAGE} with its rollups; the API delivers about 1.3 pages/s per database, so either is far above need)`,
    ].join('\n');
    return { name: 'ingest', ok, rows: rows.length, rawRowsPerSecond: raw, ingestRowsPerSecond: ingest, ratio, pagedRatio, summary };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await run();
  console.log(result.summary);
}
