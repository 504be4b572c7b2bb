/**
 * `npm run bench [-- name ... --flag ...]`: the speed and budget targets, measured on this machine
 * (they are never timed tests). Runs every benchmark, or the named ones, prints each summary and
 * writes the figures to bench/results/<timestamp>.json. Exit 1 when a target is missed. Flags go to
 * the benchmarks (`--quick`: the limiter's 1.5 s window, for iterating). Where a baseline measured in
 * the same run can anchor a target, the target is a ratio to it, so it holds on any machine of the
 * kind (issue 15); what a benchmark needs from the machine it installs (bench/support/tools.ts).
 *
 *   limiter    pacing against a fixed-window server: 3 and 20 windows, 0-150 and 0-500 ms legs,
 *              one and two processes (issues #3, #15; ~25 minutes)
 *   sync       full sync of the demo world for 10 days, real windows (issue #5)
 *   ingest     upsert with rollups against a raw prepared upsert (issue #5)
 *   dashboard  queries, page under load and CSV streaming on 20 sites × 2 years (issues #6, #15)
 *   exports    /api/health under 50 and 200 slow-reading CSV exports, peak server memory (issue 13)
 *   backup     backup and restore of the 5-million-transaction archive, writes waiting behind it (issue 13)
 *   fresh      first screen after a start, and Sync now during a backfill, against their physical minimum (issue 15)
 *   kpis       wash lists, plan-sale checks and clock entries against their request bound; backfill with and without them (issue 11)
 *   postgres   the dashboard's queries and page, and sync ingest, on Postgres beside SQLite (issue 14)
 */
import fs from 'node:fs';
import path from 'node:path';

interface Result {
  name: string;
  ok: boolean;
  summary: string;
}

const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const BENCHES: Record<string, () => Promise<Result>> = {
  limiter: async () => (await import('./limiter')).run(flags),
  sync: async () => (await import('./sync')).run(),
  ingest: async () => (await import('./ingest')).run(),
  dashboard: async () => (await import('./dashboard')).run() as Promise<Result>,
  exports: async () => (await import('./exports')).run(),
  backup: async () => (await import('./backup')).run(),
  fresh: async () => (await import('./fresh')).run(),
  kpis: async () => (await import('./kpis')).run(),
  postgres: async () => (await import('./postgres')).run(),
};

process.env.NEXT_TELEMETRY_DISABLED = '1';
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}
const names = wanted.length ? wanted : Object.keys(BENCHES);
const results: Result[] = [];
for (const name of names) {
  console.log(`\n=== ${name}`);
  const started = Date.now();
  try {
    const result = await BENCHES[name]!();
    results.push(result);
    console.log(result.summary);
  } catch (error) {
    results.push({ name, ok: false, summary: `failed: ${error instanceof Error ? error.message : String(error)}` });
    console.error(`${name} failed:`, error);
  }
  console.log(`(${name}: ${Math.round((Date.now() - started) / 1000)} s)`);
}

const dir = path.join(process.cwd(), 'bench', 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
console.log(`\n${results.map((r) => `${r.ok ? 'OK    ' : 'MISSED'} ${r.name}`).join('\n')}\nFigures written to ${path.relative(process.cwd(), file)}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
