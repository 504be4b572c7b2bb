/**
 * The SQL client (db/sql/client.ts) on a better-sqlite3 connection. Statements are prepared once
 * per connection and run synchronously; the promise is only the interface's shape. Flags given as
 * booleans are bound as 1 and 0 (SQLite has no boolean type).
 */
import type Database from 'better-sqlite3';
import type { SqlClient, SqlParams } from '@/db/sql/client';
import { prepared } from './prepared';

const bindable = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

function bind(params: SqlParams | undefined): unknown[] {
  if (!params) return [];
  if (Array.isArray(params)) return params.map(bindable);
  const named: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) named[k] = bindable(v);
  return [named];
}

// One async transaction at a time per connection: a second waits for the first to end.
const queues = new WeakMap<Database.Database, Promise<unknown>>();
let savepoints = 0;

export function sqliteClient(sqlite: Database.Database): SqlClient {
  const client: SqlClient = {
    dialect: 'sqlite',
    async all<R>(text: string, params?: SqlParams) {
      return prepared<unknown[], R>(sqlite, text).all(...bind(params));
    },
    async get<R>(text: string, params?: SqlParams) {
      return prepared<unknown[], R>(sqlite, text).get(...bind(params));
    },
    async run(text: string, params?: SqlParams) {
      return prepared(sqlite, text).run(...bind(params)).changes;
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      const before = queues.get(sqlite) ?? Promise.resolve();
      const mine = before.catch(() => undefined).then(async () => {
        // Inside a synchronous transaction of better-sqlite3 (it cannot be, between awaits, but a
        // caller may nest): a savepoint, which commits with the outer transaction.
        const name = sqlite.inTransaction ? `washboard_${++savepoints}` : null;
        sqlite.exec(name ? `SAVEPOINT ${name}` : 'BEGIN IMMEDIATE');
        try {
          const result = await work(client);
          sqlite.exec(name ? `RELEASE ${name}` : 'COMMIT');
          return result;
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec(name ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
          throw error;
        }
      });
      queues.set(sqlite, mine);
      return mine;
    },
  };
  return client;
}
