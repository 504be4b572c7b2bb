import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteAppDatabase as AppDatabase } from '@/db';
import { MemoryRateLimitStore } from '@/lib/sonnys/rate-limit/memory-store';
import { SqliteRateLimitStore } from '@/lib/sonnys/rate-limit/sqlite-store';
import type { RateLimitStore } from '@/lib/sonnys/rate-limit/store';

export interface StoreFixture {
  name: string;
  /** A fresh store; `connect()` opens another store on the same state (another "process"). */
  create(): { store: RateLimitStore; connect(): RateLimitStore; dispose(): void };
}

export const memoryFixture: StoreFixture = {
  name: 'MemoryRateLimitStore',
  create() {
    const store = new MemoryRateLimitStore();
    return { store, connect: () => store, dispose: () => undefined };
  },
};

/**
 * A temporary SQLite file with the app's real migrations; every `connect()` is a new connection.
 * `sqlite` is the first connection, for tests that look at the rows.
 */
export const sqliteFixture = {
  name: 'SqliteRateLimitStore',
  create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-rate-limit-'));
    const file = path.join(dir, 'washboard.db');
    const connections: AppDatabase[] = [openDatabase(file)];
    const store = new SqliteRateLimitStore(connections[0]!.sqlite);
    return {
      store,
      sqlite: connections[0]!.sqlite,
      connect() {
        const db = openDatabase(file, { migrate: false });
        connections.push(db);
        return new SqliteRateLimitStore(db.sqlite);
      },
      dispose() {
        for (const db of connections) db.sqlite.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const storeFixtures: StoreFixture[] = [memoryFixture, sqliteFixture];
