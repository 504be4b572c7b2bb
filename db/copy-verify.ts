/**
 * Whether a copy made by `copyArchive` (db/copy.ts) is exact (issue 14, `npm run db:copy`): every
 * table's row count, and the daily report's totals (every measure column of `daily_rollups` summed
 * per database, site and day) compared exactly between the SQLite archive and the Postgres copy.
 * Compared by key, not by row order: the dialects sort text differently (byte order vs. collation).
 */
import { getTableConfig } from 'drizzle-orm/pg-core';
import { tableCounts } from './copy';
import { dailyRollups } from './postgres/schema';
import type { SqlClient } from './sql/client';

const KEYS = ['database_key', 'site_code', 'local_day'];
/** Columns that are bookkeeping, not a figure of the report. */
const NOT_MEASURES = new Set([...KEYS, 'updated_at']);

/** The measure columns of `daily_rollups`, from the schema: a measure added later is verified too. */
export function rollupMeasures(): string[] {
  return getTableConfig(dailyRollups)
    .columns.map((c) => c.name)
    .filter((name) => !NOT_MEASURES.has(name));
}

type Totals = Map<string, Record<string, number>>;

/** Every measure summed per (database, site, day), keyed `database/site/day`. */
export async function reportTotals(db: { sql: SqlClient }): Promise<Totals> {
  const measures = rollupMeasures();
  const rows = await db.sql.all<Record<string, string | number>>(
    `SELECT database_key AS k1, site_code AS k2, local_day AS k3, ${measures.map((m) => `sum(${m}) AS "${m}"`).join(', ')}
     FROM daily_rollups GROUP BY database_key, site_code, local_day`,
  );
  const totals: Totals = new Map();
  for (const row of rows) {
    totals.set(`${row.k1}/${row.k2}/${row.k3}`, Object.fromEntries(measures.map((m) => [m, Number(row[m])])));
  }
  return totals;
}

export interface CopyCheck {
  tables: number;
  rows: number;
  days: number;
  /** One short phrase per difference (at most a few), empty when the copy is exact. */
  differences: string[];
}

const MAX_LISTED = 5;

/** Compares the two databases; `differences` is empty when the copy is exact. */
export async function verifyCopy(from: { sql: SqlClient }, to: { sql: SqlClient }): Promise<CopyCheck> {
  const differences: string[] = [];
  const [countsFrom, countsTo] = [await tableCounts(from), await tableCounts(to)];
  for (const [table, n] of countsFrom) {
    const m = countsTo.get(table) ?? 0;
    if (m !== n) differences.push(`${table} has ${m} rows instead of ${n}`);
  }
  const [totalsFrom, totalsTo] = [await reportTotals(from), await reportTotals(to)];
  for (const [key, measures] of totalsFrom) {
    const copied = totalsTo.get(key);
    if (!copied) {
      differences.push(`the report has no ${key}`);
      continue;
    }
    for (const [measure, value] of Object.entries(measures)) {
      if (copied[measure] !== value) differences.push(`${key} ${measure} is ${copied[measure]} instead of ${value}`);
    }
  }
  for (const key of totalsTo.keys()) if (!totalsFrom.has(key)) differences.push(`the report has an extra ${key}`);
  const listed = differences.slice(0, MAX_LISTED);
  if (differences.length > MAX_LISTED) listed.push(`and ${differences.length - MAX_LISTED} more`);
  return {
    tables: countsFrom.size,
    rows: [...countsFrom.values()].reduce((a, b) => a + b, 0),
    days: totalsFrom.size,
    differences: listed,
  };
}
