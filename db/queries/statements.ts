import 'server-only';
import type Database from 'better-sqlite3';
import { getDb, type AppDatabase } from '@/db';
import { postgresDataVersion } from '@/db/postgres/data-version';
import { prepared } from '@/db/sqlite/prepared';

interface CachedValue {
  version: string;
  value: unknown;
}
const results = new WeakMap<AppDatabase, Map<string, CachedValue>>();
const MAX_CACHED = 256;
let reuse = true;

/** Turns result reuse off (benchmarks measuring the queries themselves) or back on. */
export function setResultReuse(enabled: boolean): void {
  reuse = enabled;
}

/**
 * SQLite's content version: `data_version` moves when another connection commits (a CLI sync),
 * `total_changes()` when this one writes (the in-process sync). Both cost microseconds.
 */
function sqliteVersion(sqlite: Database.Database): string {
  const dataVersion = prepared<[], number>(sqlite, 'PRAGMA data_version').pluck().get();
  const changes = prepared<[], number>(sqlite, 'SELECT total_changes()').pluck().get();
  return `${dataVersion}:${changes}`;
}

/**
 * The database's content version, and whether a result read now may be kept under it (see
 * db/postgres/data-version.ts: on Postgres not while a write may be committing).
 */
async function contentVersion(db: AppDatabase): Promise<{ version: string; settled: boolean }> {
  return db.kind === 'sqlite' ? { version: sqliteVersion(db.sqlite), settled: true } : postgresDataVersion(db);
}

/**
 * The database's content version, for pages that refresh themselves when a sync commits (issue
 * #10): it moves with every commit, from this process or another (on Postgres, from any instance).
 */
export async function getDataVersion(): Promise<string> {
  const { version, settled } = await contentVersion(getDb());
  // A write in flight marks the version, so that its commit (which moves nothing by itself) still
  // reads as a change to a page that looked while it was in flight.
  return settled ? version : `${version}+`;
}

/**
 * A read's result, reused until the database changes. Dashboards are read far more often than a
 * sync writes, and 20 managers opening the same overview should cost one set of queries, not 20.
 * Callers must treat the value as read-only: it is shared between requests.
 */
export async function readThrough<T>(db: AppDatabase, key: string, read: () => Promise<T>): Promise<T> {
  if (!reuse) return read();
  let cache = results.get(db);
  if (!cache) {
    cache = new Map();
    results.set(db, cache);
  }
  const { version, settled } = await contentVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = await read();
  if (!settled) return value;
  cache.delete(key);
  cache.set(key, { version, value });
  // Oldest first in a Map's order: drop the least recently stored beyond the bound.
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return value;
}
