/**
 * Postgres for the test suites (issue 14): each test file gets a database of its own on the server
 * `npm test` starts with `pg_virtualenv` (which sets PGHOST, PGPORT, PGUSER and PGPASSWORD), or on
 * the one `WASHBOARD_TEST_POSTGRES` names (a URL to a database the tests may create others from).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, openPostgres, type AppDatabase } from '@/db';

/** The server's administrative URL, or a sentence saying how to get one. */
export function testPostgresUrl(): string {
  const explicit = process.env.WASHBOARD_TEST_POSTGRES;
  if (explicit) return explicit;
  const { PGHOST, PGPORT, PGUSER, PGPASSWORD } = process.env;
  if (!PGHOST || !PGUSER) {
    throw new Error('The Postgres tests need a server: run them through `npm test` (pg_virtualenv), or set WASHBOARD_TEST_POSTGRES to a postgres:// URL.');
  }
  const auth = `${encodeURIComponent(PGUSER)}${PGPASSWORD ? `:${encodeURIComponent(PGPASSWORD)}` : ''}`;
  const port = PGPORT ?? '5432';
  return PGHOST.startsWith('/')
    ? `postgres://${auth}@localhost:${port}/postgres?host=${encodeURIComponent(PGHOST)}`
    : `postgres://${auth}@${PGHOST}:${port}/postgres`;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

let counter = 0;

/** A new, empty database on the test server; `drop()` removes it. */
export async function freshPostgresDatabase(label = 'test'): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testPostgresUrl();
  const name = `washboard_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Date.now().toString(36)}_${++counter}`.slice(0, 63);
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return {
    url: withDatabase(admin, name),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** A migrated, empty database of the dialect, and how to close and remove it. */
export async function openTestDatabase(dialect: TestDialect, label = 'test'): Promise<{ db: AppDatabase; url: string; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `washboard-${label}-`));
    const file = path.join(dir, 'washboard.db');
    const db = openDatabase(file);
    return {
      db,
      url: file,
      async cleanup() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await freshPostgresDatabase(label);
  const db = openPostgres(database.url);
  await db.ready;
  return {
    db,
    url: database.url,
    async cleanup() {
      await db.close();
      await database.drop();
    },
  };
}
