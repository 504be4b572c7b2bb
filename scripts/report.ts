/**
 * `npm run report -- --from YYYY-MM-DD --to YYYY-MM-DD [--database KEY]`
 *
 * The consolidated daily CSV on stdout: one row per (local day, database, site) with transactions,
 * the same content and columns as the dashboard's "Download CSV". Reads the database only (SQLite or
 * Postgres, as DATABASE_URL says; no API calls).
 */
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '@/db';
import { listKnownSites } from '@/db/queries/sites-known';
import { getConfigOrExit } from '@/lib/env';
import { parseRange, writeDailyReport } from '@/lib/reports';

const usage = 'Usage: npm run report -- --from YYYY-MM-DD --to YYYY-MM-DD [--database KEY]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let args: { database?: string; from?: string; to?: string };
try {
  args = parseArgs({ options: { database: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
}
if (!args.from || !args.to) fail(`Both --from and --to are required.\n${usage}`);
const range = parseRange({ from: args.from, to: args.to }, { today: new Date().toISOString().slice(0, 10) });
if (!range.ok) fail(range.message);

getConfigOrExit();
const db = getDb();
const known = (await listKnownSites())
  .map((d) => d.key)
  .sort();
const database = args.database?.toLowerCase();
if (database && !known.includes(database)) {
  await closeDb();
  fail(known.length ? `There is no database "${args.database}". Known: ${known.join(', ')}.` : 'No database has been synced yet: run npm run sync first.');
}

await writeDailyReport(db.reports, { from: range.range.from, to: range.range.to, ...(database ? { databaseKeys: [database] } : {}) }, process.stdout);
await closeDb();
