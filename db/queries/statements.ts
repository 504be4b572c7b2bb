import 'server-only';
import type Database from 'better-sqlite3';

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
