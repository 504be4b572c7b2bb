/**
 * A connection's prepared statements, each prepared once: preparing costs more than running the
 * small rollup queries the pages make. Shared by the SQLite client and db/ 's hot paths.
 */
import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The connection's prepared statement for `sql`, prepared on first use. */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(sqlite: Database.Database, sql: string): Database.Statement<P, R> {
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
