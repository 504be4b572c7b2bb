/**
 * The one SQLite connection of a process (better-sqlite3, WAL), with drizzle on top.
 *
 * Not `server-only`: the CLIs (sync, report, migrate) open the same file through here. Nothing
 * happens at import time; the first `getDb()` opens the file and applies pending migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getConfig } from '@/lib/env';
import type { ReportReader } from '@/lib/reports/readers';
import { SqliteRateLimitStore } from '@/lib/sonnys/rate-limit';
import { applyDataFixes } from './maintenance';
import type { Orm } from './orm';
import { registerDatabases, type DatabaseRegistration } from './registry';
import * as schema from './schema';
import { createReportReader } from './sqlite/report-reader';
import { createSyncIngestor, type SyncIngestor } from './sqlite/sync-ingestor';
import { SqliteSyncStore } from './sqlite/sync-store';

export type { Orm };

/**
 * One open database: the connection, and what the rest of the app reads and writes through
 * (each created on first use). Code outside `db/` uses these, never the connection.
 */
export interface AppDatabase {
  /** The raw connection, for `db/` itself (prepared statements on hot paths), tests and benches. */
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  readonly path: string;
  /** The CSV reports' reader (lib/reports/readers.ts) on this connection. */
  readonly reports: ReportReader;
  /** The sync's bookkeeping (lib/sync's `SyncStore`). */
  readonly syncStore: SqliteSyncStore;
  /** Writes what the sync fetched (lib/sync's `Ingestor`), and rows directly for tests and benches. */
  readonly ingestor: SyncIngestor;
  /** The rate limiter's shared store: one budget per API ID for every process on this database. */
  readonly rateLimitStore: SqliteRateLimitStore;
  /** Keeps the `databases` table in step with the configuration (or the demo world). */
  registerDatabases(list: readonly DatabaseRegistration[]): Promise<void>;
}

class SqliteDatabase implements AppDatabase {
  #reports: ReportReader | undefined;
  #syncStore: SqliteSyncStore | undefined;
  #ingestor: SyncIngestor | undefined;
  #rateLimitStore: SqliteRateLimitStore | undefined;

  constructor(
    readonly sqlite: Database.Database,
    readonly orm: Orm,
    readonly path: string,
  ) {}

  get reports(): ReportReader {
    return (this.#reports ??= createReportReader(this.sqlite));
  }

  get syncStore(): SqliteSyncStore {
    return (this.#syncStore ??= new SqliteSyncStore(this.sqlite));
  }

  get ingestor(): SyncIngestor {
    return (this.#ingestor ??= createSyncIngestor(this.sqlite));
  }

  get rateLimitStore(): SqliteRateLimitStore {
    return (this.#rateLimitStore ??= new SqliteRateLimitStore(this.sqlite));
  }

  async registerDatabases(list: readonly DatabaseRegistration[]): Promise<void> {
    registerDatabases(this, list);
  }
}

/** Where the generated SQL migrations live; resolved from the working directory (the project root). */
export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');

/** Opens (creating the folder and file if needed) and migrates a SQLite database. */
export function openDatabase(filePath: string, options: { migrate?: boolean } = {}): AppDatabase {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const sqlite = new Database(filePath);
  // WAL lets the web server read while a sync (maybe another process) writes; several processes
  // share this file, so wait for a lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  if (options.migrate !== false) {
    migrate(orm, { migrationsFolder: MIGRATIONS_FOLDER });
    applyDataFixes(sqlite);
  }
  return new SqliteDatabase(sqlite, orm, filePath);
}

// Cached on globalThis so that Next.js dev reloads and several route modules share one connection.
const globalForDb = globalThis as unknown as { __washboardDb?: AppDatabase };

/** The process's connection to the configured database (`DATABASE_URL`). */
export function getDb(): AppDatabase {
  globalForDb.__washboardDb ??= openDatabase(getConfig().databasePath);
  return globalForDb.__washboardDb;
}

/** Closes the cached connection (CLIs at exit, tests). */
export function closeDb(): void {
  globalForDb.__washboardDb?.sqlite.close();
  globalForDb.__washboardDb = undefined;
}

export { schema };
