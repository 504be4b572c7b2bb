/** The drizzle handle over the app's SQLite connection, typed by the schema (its own file: db/index.ts and db/registry.ts both need it). */
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema';

export type Orm = BetterSQLite3Database<typeof schema>;
