/**
 * A fresh database of either dialect (a SQLite file, or a Postgres database of its own) with the
 * real migrations, made the process's database (getDb reads DATABASE_URL), with Better Auth on it, and helpers to sign in as a real browser would: the
 * session cookie comes back from Better Auth and goes into the next request's headers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, getDb } from '@/db';
import { getAuth, resetAuth } from '@/lib/auth/config';
import { resetConfig } from '@/lib/env';
import type { Role } from '@/lib/auth/roles';
import { ensureAccount } from '@/lib/auth/users';
import type { SiteRef } from '@/lib/reports/scope';
import { freshPostgresDatabase, type TestDialect } from '../../support/postgres';

export interface AuthFixture {
  dialect: TestDialect;
  /** A folder of the fixture's own (the SQLite file and its auth-secret live here). */
  dir: string;
  /** DATABASE_URL: the SQLite file, or the Postgres database's URL. */
  url: string;
  close(): Promise<void>;
}

/** Points the process at a new database; call before anything reads the configuration. */
export async function createAuthFixture(dialect: TestDialect = 'sqlite'): Promise<AuthFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-auth-'));
  const postgres = dialect === 'postgres' ? await freshPostgresDatabase('auth') : null;
  const url = postgres?.url ?? path.join(dir, 'washboard.db');
  await closeDb();
  resetAuth();
  process.env.DATABASE_URL = url;
  delete process.env.AUTH_SECRET;
  resetConfig();
  const db = getDb();
  await db.registerDatabases([
    { key: 'washu', name: 'WashU', apiId: 'washu-id', defaultTimezone: 'America/Chicago', isDemo: false },
    { key: 'icon', name: 'Icon', apiId: 'icon-id', defaultTimezone: 'America/Denver', isDemo: false },
  ]);
  for (const [key, code, name] of [
    ['washu', 'JOLIET', 'WashU Joliet'],
    ['washu', 'PLAINFIELD', 'WashU Plainfield'],
    ['icon', 'DENVER', 'Icon Denver'],
    ['icon', 'JOLIET', 'Icon Joliet'],
  ] as const) {
    await db.sql.run(
      `INSERT INTO sites (database_key, code, name, effective_timezone, first_seen_at, last_seen_at) VALUES (?, ?, ?, 'America/Chicago', 0, 0)`,
      [key, code, name],
    );
  }
  return {
    dialect,
    dir,
    url,
    async close() {
      await closeDb();
      resetAuth();
      resetConfig();
      await postgres?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function makeUser(email: string, role: Role, sites: SiteRef[] = [], password = 'correct horse battery'): Promise<string> {
  return ensureAccount({ email, role, sites, password, isDemo: false });
}

/** Headers of a request from `address`, as Next.js passes them on (it sets X-Forwarded-*). */
export function requestHeaders(address = '203.0.113.7', cookie?: string): Headers {
  const headers = new Headers({ 'x-forwarded-for': address, 'x-forwarded-proto': 'http', 'user-agent': 'vitest' });
  if (cookie) headers.set('cookie', cookie);
  return headers;
}

/** Signs in through Better Auth and returns the `Cookie` header a browser would send next. */
export async function signIn(email: string, password = 'correct horse battery', address?: string): Promise<string> {
  const { headers } = await (await getAuth()).api.signInEmail({ body: { email, password }, headers: requestHeaders(address), returnHeaders: true });
  const cookies = headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (!cookies.length) throw new Error('sign-in set no cookie');
  return cookies.join('; ');
}
