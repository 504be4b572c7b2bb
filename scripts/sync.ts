/**
 * `npm run sync -- [--database KEY] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`
 *
 * Syncs the configured databases (or the demo's) into SQLite. Dates are local days of each site,
 * inclusive. Shares the rate-limit budget with a running web server through the SQLite file, and
 * joins its run if one is going, then syncs whatever of its own range that run did not. Exit 0
 * only when every requested database synced its range.
 *
 * SIGTERM or Ctrl-C stops gracefully: no new page is requested, pages in flight commit, leases are
 * released, the database is closed; the next sync continues where this one stopped (exit 130/143).
 */
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '@/db';
import { holdDatabase } from '@/db/holders';
import { isCalendarDay } from '@/lib/calendar';
import { getConfigOrExit } from '@/lib/env';
import { createProgressPrinter } from '@/lib/sync/cli-progress';
import { createSyncRuntime } from '@/lib/sync/runtime';

const usage = 'Usage: npm run sync -- [--database KEY] [--from YYYY-MM-DD] [--to YYYY-MM-DD]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let args: { database?: string; from?: string; to?: string };
try {
  args = parseArgs({
    options: { database: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    allowPositionals: false,
  }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
}
/** A calendar day (2026-02-30 is not one), else the usage. */
const day = (value: string | undefined, example: string, flag: string) => {
  if (value === undefined) return undefined;
  return isCalendarDay(value.trim()) ? value.trim() : fail(`${flag} must be a date like ${example}.\n${usage}`);
};
const from = day(args.from, '2026-11-01', '--from');
const to = day(args.to, '2026-11-30', '--to');
if (from && to && from > to) fail(`--from (${from}) is after --to (${to}).`);

const config = getConfigOrExit();
const db = getDb();
const hold = db.kind === 'sqlite' ? holdDatabase(db.path, 'sync') : null;
const runtime = await createSyncRuntime({ config, db, reuseSimulator: true });
const keys = args.database ? [args.database.toLowerCase()] : runtime.targets.map((t) => t.key);
for (const key of keys) {
  if (!runtime.targets.some((t) => t.key === key)) {
    await runtime.close();
    fail(`There is no database "${args.database}". Configured: ${runtime.targets.map((t) => t.key).join(', ')}.`);
  }
}

const results = await Promise.all(keys.map((key) => runtime.manager.trigger(key, 'cli', { ...(from ? { from } : {}), ...(to ? { to } : {}) })));
for (const r of results) {
  const name = runtime.manager.target(r.databaseKey).name;
  const then = r.followsUp ? (from || to ? '; the rest of this range is synced when it ends' : '; what is due is synced when it ends') : '';
  console.log(r.joined ? `${name}: joining the sync already running (run ${r.runId})${then}.` : `${name}: sync started (run ${r.runId}).`);
}

let signalled: NodeJS.Signals | undefined;
const stop = (signal: NodeJS.Signals) => {
  if (signalled) return;
  signalled = signal;
  console.log('Stopping: letting the pages in flight commit (the next sync continues from here)...');
  void runtime.manager.stop();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

// On a terminal one line per database, rewritten every second; in a log a line per 10 % or 10 s.
const printer = createProgressPrinter({ tty: Boolean(process.stdout.isTTY) });
const ticker = setInterval(() => {
  printer.update(results.map((r) => ({ name: runtime.manager.target(r.databaseKey).name, progress: runtime.manager.activeRun(r.databaseKey)?.progress ?? null })));
}, 1000);

const outcomes = await Promise.all(results.map((r) => r.done));
clearInterval(ticker);
printer.done();
for (const o of outcomes) console.log(`${runtime.manager.target(o.databaseKey).name}: ${o.message}`);
await runtime.close();
hold?.release();
closeDb();
if (signalled) process.exit(signalled === 'SIGINT' ? 130 : 143);
process.exit(outcomes.every((o) => o.status === 'succeeded') ? 0 : 1);
