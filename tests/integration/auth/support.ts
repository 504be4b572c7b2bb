/**
 * A fresh SQLite file with the real migrations, made the process's database (getDb reads
 * DATABASE_URL), with Better Auth on it, and helpers to sign in as a real browser would: the
 * session cookie comes back from Better Auth and goes into the next request's headers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb, getDb, getSqliteDb } from '@/db';
import { registerDatabases } from '@/db/registry';
import { getAuth, resetAuth } from '@/lib/auth/config';
import type { Role } from '@/lib/auth/roles';
import { ensureAccount } from '@/lib/auth/users';
import type { SiteRef } from '@/lib/reports/scope';

export interface AuthFixture {
  dir: string;
  file: string;
  close(): void;
}

/** Points the process at a new database file; call before anything reads the configuration. */
export function createAuthFixture(): AuthFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'washboard-auth-'));
  const file = path.join(dir, 'washboard.db');
  closeDb();
  resetAuth();
  process.env.DATABASE_URL = file;
  delete process.env.AUTH_SECRET;
  const db = getSqliteDb();
  registerDatabases(db, [
    { key: 'washu', name: 'WashU', apiId: 'washu-id', defaultTimezone: 'America/Chicago', isDemo: false },
    { key: 'icon', name: 'Icon', apiId: 'icon-id', defaultTimezone: 'America/Denver', isDemo: false },
  ]);
  const insertSite = db.sqlite.prepare(
    `INSERT INTO sites (database_key, code, name, effective_timezone, first_seen_at, last_seen_at) VALUES (?, ?, ?, 'America/Chicago', 0, 0)`,
  );
  for (const [key, code, name] of [
    ['washu', 'JOLIET', 'WashU Joliet'],
    ['washu', 'PLAINFIELD', 'WashU Plainfield'],
    ['icon', 'DENVER', 'Icon Denver'],
    ['icon', 'JOLIET', 'Icon Joliet'],
  ] as const) {
    insertSite.run(key, code, name);
  }
  return {
    dir,
    file,
    close() {
      closeDb();
      resetAuth();
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
  const { headers } = await getAuth().api.signInEmail({ body: { email, password }, headers: requestHeaders(address), returnHeaders: true });
  const cookies = headers.getSetCookie().map((c) => c.split(';')[0]!);
  if (!cookies.length) throw new Error('sign-in set no cookie');
  return cookies.join('; ');
}
