/**
 * The one database of a process: a SQLite file (better-sqlite3, WAL) by default, or a Postgres
 * server when `DATABASE_URL` is a postgres:// URL (issue 14), with drizzle on top of either.
 *
 * Not `server-only`: the CLIs (sync, report, migrate) open the same database through here. Nothing
 * happens at import time; the first `getDb()` opens it and applies pending migrations (on Postgres,
 * the first statement waits for them).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { getConfig, redactDatabaseUrl, type StorageConfig } from '@/lib/env';
import type { ReportReader } from '@/lib/reports/readers';
import type { RateLimitStore } from '@/lib/sonnys/rate-limit';
import { applyDataFixes } from './maintenance';
import type { Orm } from './orm';
import { createPool, migratePostgres, type PostgresOrm } from './postgres';
import { postgresClient } from './postgres/client';
import { postgresDialect } from './postgres/dialect';
import { poolReportReader } from './postgres/report-reader';
import { PostgresRateLimitStore } from './postgres/rate-limit-store';
import type { SqlClient } from './sql/client';
import type { SqlDialect } from './sql/dialect';
import { sqliteClient } from './sqlite/client';
import { sqliteDialect } from './sqlite/dialect';
import { registerDatabases, registerDatabasesIn, type DatabaseRegistration } from './registry';
import * as postgresSchema from './postgres/schema';
import * as schema from './schema';
import { SqliteRateLimitStore } from './sqlite/rate-limit-store';
import { createReportReader } from './sqlite/report-reader';
import { createSyncIngestor, type SyncIngestor } from './sqlite/sync-ingestor';
import { SqliteSyncStore } from './sqlite/sync-store';
import { createPostgresIngestor, recomputeDays } from './postgres/ingest';
import { SqlSyncStore } from './sync-store';

export type { Orm, PostgresOrm, SqlClient, SqlDialect };

/** What both dialects offer: the queries of `db/` are written against this. */
interface DatabaseCommon {
  /** Statements in SQL both dialects understand (db/sql/client.ts). */
  readonly sql: SqlClient;
  /** What the dialects spell differently (db/sql/dialect.ts). */
  readonly dialect: SqlDialect;
  /** Where the data is, for messages: the SQLite file's path, or the Postgres URL without its password. */
  readonly label: string;
  /** Keeps the `databases` table in step with the configuration (or the demo world). */
  registerDatabases(list: readonly DatabaseRegistration[]): Promise<void>;
  /** Throws unless the database answers a trivial query (readiness: health check, start-up). */
  ping(): Promise<void>;
  /** Closes the connection (or the pool). */
  close(): Promise<void>;
}

async function ping(this: DatabaseCommon): Promise<void> {
  await this.sql.get('SELECT 1 AS one');
}

/**
 * One open database: the connection, and what the rest of the app reads and writes through
 * (each created on first use). Code outside `db/` uses these, never the connection.
 */
export type AppDatabase = SqliteAppDatabase | PostgresAppDatabase;

/** An async twin of a synchronous API: the same methods, each returning a promise of the same value. */
export type Async<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K] };

/** The sync's bookkeeping on either dialect: SQLite's methods are the reference (all async already). */
export type SyncStoreApi = Async<Pick<SqliteSyncStore, keyof SqliteSyncStore>>;

export interface PostgresAppDatabase extends DatabaseCommon {
  readonly kind: 'postgres';
  readonly reports: ReportReader;
  readonly syncStore: SyncStoreApi;
  /** The SQLite ingestor's writes, async. */
  readonly ingestor: Async<SyncIngestor>;
  readonly rateLimitStore: RateLimitStore;
  readonly pool: pg.Pool;
  readonly orm: PostgresOrm;
  readonly url: string;
  /** Resolves once the migrations are applied (every statement through `sql` waits for it). */
  readonly ready: Promise<void>;
}

export interface SqliteAppDatabase extends DatabaseCommon {
  readonly kind: 'sqlite';
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
}

class SqliteDatabase implements SqliteAppDatabase {
  readonly kind = 'sqlite';
  readonly dialect = sqliteDialect;
  readonly sql: SqlClient;
  #reports: ReportReader | undefined;
  #syncStore: SqliteSyncStore | undefined;
  #ingestor: SyncIngestor | undefined;
  #rateLimitStore: SqliteRateLimitStore | undefined;

  constructor(
    readonly sqlite: Database.Database,
    readonly orm: Orm,
    readonly path: string,
  ) {
    this.sql = sqliteClient(sqlite);
  }

  get label(): string {
    return this.path;
  }

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

  ping = ping;

  async close(): Promise<void> {
    this.sqlite.close();
  }
}

class PostgresDatabase implements PostgresAppDatabase {
  readonly kind = 'postgres';
  readonly dialect = postgresDialect;
  readonly sql: SqlClient;
  readonly orm: PostgresOrm;
  readonly ready: Promise<void>;
  readonly label: string;
  #syncStore: SyncStoreApi | undefined;
  #ingestor: Async<SyncIngestor> | undefined;
  #reports: ReportReader | undefined;
  #rateLimitStore: PostgresRateLimitStore | undefined;

  constructor(
    readonly pool: pg.Pool,
    readonly url: string,
    options: { migrate?: boolean },
  ) {
    this.label = redactDatabaseUrl(url);
    this.orm = drizzlePostgres(pool, { schema: postgresSchema });
    this.ready = options.migrate === false ? Promise.resolve() : migratePostgres(pool);
    // A failed migration surfaces at the first statement; never as an unhandled rejection.
    this.ready.catch(() => undefined);
    const client = postgresClient(pool);
    const ready = this.ready;
    this.sql = {
      dialect: 'postgres',
      all: async (text, params) => (await ready, client.all(text, params)),
      get: async (text, params) => (await ready, client.get(text, params)),
      run: async (text, params) => (await ready, client.run(text, params)),
      transaction: async (work) => (await ready, client.transaction(work)),
    };
  }

  get reports(): ReportReader {
    return (this.#reports ??= poolReportReader(this.pool, this.ready));
  }

  get syncStore(): SyncStoreApi {
    return (this.#syncStore ??= new SqlSyncStore(this.sql, this.dialect, recomputeDays));
  }

  get ingestor(): Async<SyncIngestor> {
    return (this.#ingestor ??= createPostgresIngestor(this.sql));
  }

  get rateLimitStore(): PostgresRateLimitStore {
    return (this.#rateLimitStore ??= new PostgresRateLimitStore(this.sql));
  }

  async registerDatabases(list: readonly DatabaseRegistration[]): Promise<void> {
    await registerDatabasesIn(this.sql, list);
  }

  ping = ping;

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens a Postgres database by URL; its migrations run in the background, awaited by every statement. */
export function openPostgres(url: string, options: { migrate?: boolean; maxConnections?: number } = {}): PostgresAppDatabase {
  return new PostgresDatabase(createPool(url, { max: options.maxConnections }), url, options);
}

/** Opens what a storage configuration names. */
export function openStorage(storage: StorageConfig): AppDatabase {
  return storage.dialect === 'postgres' ? openPostgres(storage.url) : openDatabase(storage.path);
}

/** Where the generated SQL migrations live; resolved from the working directory (the project root). */
export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'db', 'migrations');

/** Opens (creating the folder and file if needed) and migrates a SQLite database. */
export function openDatabase(filePath: string, options: { migrate?: boolean } = {}): SqliteAppDatabase {
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
  globalForDb.__washboardDb ??= openStorage(getConfig().storage);
  return globalForDb.__washboardDb;
}

/**
 * Makes `db` the process's database in place of the configured one: tests that run the same reads
 * on each dialect in one file (the configuration is parsed once). `closeDb()` closes it.
 */
export function setDb(db: AppDatabase): void {
  globalForDb.__washboardDb = db;
}

/**
 * The process's SQLite database, for what exists on SQLite only. Throws a plain sentence on
 * Postgres.
 */
export function getSqliteDb(): SqliteAppDatabase {
  const db = getDb();
  if (db.kind !== 'sqlite') throw new Error('This needs the SQLite archive; DATABASE_URL names a Postgres database.');
  return db;
}

/** Closes the cached connection (CLIs at exit, tests). */
export async function closeDb(): Promise<void> {
  const db = globalForDb.__washboardDb;
  globalForDb.__washboardDb = undefined;
  await db?.close();
}

export { schema };
