import 'server-only';
import type Database from 'better-sqlite3';
import { getSqliteDb as getDb } from '@/db';

// Preparing a statement costs more than running these small rollup queries; keep each one per connection.
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The connection's prepared statement for `sql`, prepared on first use. */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(
  sqlite: Database.Database,
  sql: string,
): Database.Statement<P, R> {
  let statements = cache.get(sqlite);
  if (!statements) {
    statements = new Map();
    cache.set(sqlite, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
  }
  return statement as unknown as Database.Statement<P, R>;
}

interface CachedValue {
  version: string;
  value: unknown;
}
const results = new WeakMap<Database.Database, Map<string, CachedValue>>();
const MAX_CACHED = 256;
let reuse = true;

/** Turns result reuse off (benchmarks measuring the queries themselves) or back on. */
export function setResultReuse(enabled: boolean): void {
  reuse = enabled;
}

/**
 * The database's content version: `data_version` moves when another connection commits (a CLI
 * sync), `total_changes()` when this one writes (the in-process sync). Both cost microseconds.
 */
function contentVersion(sqlite: Database.Database): string {
  const dataVersion = prepared<[], number>(sqlite, 'PRAGMA data_version').pluck().get();
  const changes = prepared<[], number>(sqlite, 'SELECT total_changes()').pluck().get();
  return `${dataVersion}:${changes}`;
}

/**
 * The database's content version, for pages that refresh themselves when a sync commits (issue
 * #10): it moves with every commit, from this process or another.
 */
export async function getDataVersion(): Promise<string> {
  return contentVersion(getDb().sqlite);
}

/**
 * A read's result, reused until the database changes. Dashboards are read far more often than a
 * sync writes, and 20 managers opening the same overview should cost one set of queries, not 20.
 * Callers must treat the value as read-only: it is shared between requests.
 */
export function readThrough<T>(sqlite: Database.Database, key: string, read: () => T): T {
  if (!reuse) return read();
  let cache = results.get(sqlite);
  if (!cache) {
    cache = new Map();
    results.set(sqlite, cache);
  }
  const version = contentVersion(sqlite);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.value as T;
  const value = read();
  cache.delete(key);
  cache.set(key, { version, value });
  // Oldest first in a Map's order: drop the least recently stored beyond the bound.
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return value;
}
