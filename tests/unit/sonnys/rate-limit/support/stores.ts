import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, openPostgres, type PostgresAppDatabase, type SqliteAppDatabase } from '@/db';
import { SqliteRateLimitStore } from '@/db/sqlite/rate-limit-store';
import { MemoryRateLimitStore } from '@/lib/sonnys/rate-limit/memory-store';
import type { RateLimitStore } from '@/lib/sonnys/rate-limit/store';
import type { SqlClient } from '@/db/sql/client';
import { freshPostgresDatabase } from '@/tests/support/postgres';
import { trackIo } from './fake-clock';

export interface StoreEnv {
  store: RateLimitStore;
  /** Another store on the same state (another "process": a connection, or a pool of its own). */
  connect(): RateLimitStore;
  dispose(): Promise<void>;
}

/** A store in a database: its rows can be read back. */
export interface DatabaseStoreEnv extends StoreEnv {
  /** The first connection's SQL client, for tests that look at (or plant) rows. */
  sql: SqlClient;
  /** What another process opens to share the store. */
  target: { file: string } | { url: string };
  /** Every logged request's recorded floor, by permit id. */
  floors(): Promise<Map<string, number | null>>;
}

async function floorsIn(sql: SqlClient): Promise<Map<string, number | null>> {
  const rows = await sql.all<{ id: string; floor: number | null }>('SELECT id, window_floor AS floor FROM rate_limit_requests');
  return new Map(rows.map((row) => [row.id, row.floor]));
}

export interface StoreFixture<E extends StoreEnv = StoreEnv> {
  name: string;
  /** A fresh store with no rows. */
  create(): Promise<E>;
}

export const memoryFixture: StoreFixture = {
  name: 'MemoryRateLimitStore',
  async create() {
    const store = new MemoryRateLimitStore();
    return { store, connect: () => store, dispose: async () => undefined };
  },
};

/**
 * A temporary SQLite file with the app's real migrations; every `connect()` is a new connection.
 * `sqlite` is the first connection, for tests that look at the rows.
 */
export const sqliteFixture: StoreFixture<DatabaseStoreEnv & { sqlite: SqliteAppDatabase['sqlite'] }> = {
  name: 'SqliteRateLimitStore',
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-rate-limit-'));
    const file = path.join(dir, 'washboard.db');
    const connections: SqliteAppDatabase[] = [openDatabase(file)];
    const sqlite = connections[0]!.sqlite;
    return {
      store: new SqliteRateLimitStore(sqlite),
      sqlite,
      sql: connections[0]!.sql,
      target: { file },
      connect() {
        const db = openDatabase(file, { migrate: false });
        connections.push(db);
        return new SqliteRateLimitStore(db.sqlite);
      },
      floors: () => floorsIn(connections[0]!.sql),
      async dispose() {
        for (const db of connections) db.sqlite.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * Every call of a store that does real I/O is registered with the fake clock, which waits for it
 * before moving time (a Postgres round trip takes real milliseconds; the simulated ones take none).
 */
function trackedStore(store: RateLimitStore): RateLimitStore {
  return {
    tryAcquire: (request) => trackIo(store.tryAcquire(request)),
    release: (request) => trackIo(store.release(request)),
    dequeue: (request) => trackIo(store.dequeue(request)),
    snapshot: (request) => trackIo(store.snapshot(request)),
    prune: (request) => trackIo(store.prune(request)),
  };
}

/** One Postgres database per test file (created on first use), emptied for every `create()`. */
let postgresDatabase: Promise<{ url: string; drop(): Promise<void> }> | null = null;

async function postgresUrl(): Promise<string> {
  postgresDatabase ??= (async () => {
    const database = await freshPostgresDatabase('rate_limit');
    const db = openPostgres(database.url, { maxConnections: 1 });
    await db.ready;
    await db.close();
    return database;
  })();
  return (await postgresDatabase).url;
}

/** Drops the test file's Postgres database (call in `afterAll`). */
export async function dropPostgresFixture(): Promise<void> {
  const database = postgresDatabase;
  postgresDatabase = null;
  await (await database)?.drop();
}

/**
 * A Postgres database with the app's real migrations; `store` is the app's `db.rateLimitStore`,
 * and every `connect()` opens a pool of its own, as another instance of the app would.
 */
export const postgresFixture: StoreFixture<DatabaseStoreEnv & { url: string; db: PostgresAppDatabase }> = {
  name: 'PostgresRateLimitStore',
  async create() {
    const url = await postgresUrl();
    const pools: PostgresAppDatabase[] = [openPostgres(url, { migrate: false, maxConnections: 4 })];
    const db = pools[0]!;
    await db.sql.run('TRUNCATE rate_limit_requests, rate_limit_waiters, rate_limit_state');
    return {
      store: trackedStore(db.rateLimitStore),
      url,
      db,
      sql: db.sql,
      target: { url },
      connect() {
        const other = openPostgres(url, { migrate: false, maxConnections: 4 });
        pools.push(other);
        return trackedStore(other.rateLimitStore);
      },
      floors: () => floorsIn(db.sql),
      async dispose() {
        await Promise.all(pools.map((pool) => pool.close()));
      },
    };
  },
};

export const databaseFixtures = [sqliteFixture, postgresFixture] as StoreFixture<DatabaseStoreEnv>[];
export const storeFixtures: StoreFixture[] = [memoryFixture, sqliteFixture, postgresFixture];
