/**
 * Washboard's own reads and writes of accounts: roles, site assignments, invitations and the user
 * list. Better Auth writes users, sessions and password hashes through its drizzle adapter; these
 * statements never select a password hash.
 *
 * One implementation for both dialects (issue 14): portable SQL through `db.sql`. Better Auth's
 * dates (users, sessions) are epoch ms on SQLite and `timestamptz` on Postgres, so they are read
 * and written through `dialect.authTimeMs`/`authTimeOf`; flags are compared with TRUE/FALSE and
 * read back through `dialect.flag`, so callers see numbers and booleans alike on both.
 *
 * Not `server-only`: the users CLI (scripts/users.ts) shares them with the web server.
 */
import { getDb } from '@/db';
import type { Role } from '@/lib/auth/roles';
import type { SiteRef } from '@/lib/reports/scope';

export interface UserAccess {
  userId: string;
  email: string;
  role: Role;
  isDemo: boolean;
  sites: SiteRef[];
}

export interface UserListEntry extends UserAccess {
  createdAt: number;
  /** False while an invited user has not set a password yet. */
  hasPassword: boolean;
  /** When the pending invitation link stops working, if there is one. */
  invitationExpiresAt: number | null;
  /** Most recent session activity (sign-in or refresh), if any. */
  lastSeenAt: number | null;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

async function sitesOf(userIds: string[]): Promise<Map<string, SiteRef[]>> {
  const bySite = new Map<string, SiteRef[]>();
  if (!userIds.length) return bySite;
  const rows = await getDb().sql.all<{ userId: string; databaseKey: string; siteCode: string }>(
    `SELECT user_id AS "userId", database_key AS "databaseKey", site_code AS "siteCode" FROM user_sites
     WHERE user_id IN (${placeholders(userIds.length)}) ORDER BY database_key, site_code`,
    userIds,
  );
  for (const row of rows) {
    const list = bySite.get(row.userId) ?? [];
    list.push({ databaseKey: row.databaseKey, code: row.siteCode });
    bySite.set(row.userId, list);
  }
  return bySite;
}

/** A user's role and sites, read on every request that checks a session (a removed user has none). */
export async function getUserAccess(userId: string): Promise<UserAccess | null> {
  const { sql, dialect } = getDb();
  const user = await sql.get<{ id: string; email: string; role: string; isDemo: number }>(
    `SELECT id, email, role, ${dialect.flag('is_demo')} AS "isDemo" FROM users WHERE id = ?`,
    [userId],
  );
  if (!user) return null;
  return { userId: user.id, email: user.email, role: user.role as Role, isDemo: user.isDemo === 1, sites: (await sitesOf([user.id])).get(user.id) ?? [] };
}

export async function findUserIdByEmail(email: string): Promise<string | null> {
  const row = await getDb().sql.get<{ id: string }>('SELECT id FROM users WHERE email = ?', [email.toLowerCase()]);
  return row?.id ?? null;
}

export async function countUsers(): Promise<number> {
  return (await getDb().sql.get<{ n: number }>('SELECT count(*) AS n FROM users WHERE is_demo = FALSE'))?.n ?? 0;
}

export async function countOwners(): Promise<number> {
  return (await getDb().sql.get<{ n: number }>(`SELECT count(*) AS n FROM users WHERE role = 'owner'`))?.n ?? 0;
}

/** Every user (demo users last), with what the settings page and `users list` show. */
export async function listUsers(now = Date.now()): Promise<UserListEntry[]> {
  const { sql, dialect } = getDb();
  const rows = await sql.all<{
    userId: string;
    email: string;
    role: string;
    isDemo: number;
    createdAt: number;
    hasPassword: number;
    invitationExpiresAt: number | null;
    lastSeenAt: number | null;
  }>(
    `SELECT u.id AS "userId", u.email, u.role, ${dialect.flag('u.is_demo')} AS "isDemo", ${dialect.authTimeMs('u.created_at')} AS "createdAt",
       ${dialect.flag(`EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = u.id AND a.provider_id = 'credential' AND a.password IS NOT NULL)`)} AS "hasPassword",
       (SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.expires_at > ?) AS "invitationExpiresAt",
       (SELECT ${dialect.authTimeMs('max(s.updated_at)')} FROM sessions s WHERE s.user_id = u.id) AS "lastSeenAt"
     FROM users u ORDER BY u.is_demo, u.email`,
    [now],
  );
  const sites = await sitesOf(rows.map((r) => r.userId));
  return rows.map((r) => ({
    userId: r.userId,
    email: r.email,
    role: r.role as Role,
    isDemo: r.isDemo === 1,
    createdAt: r.createdAt,
    hasPassword: r.hasPassword === 1,
    invitationExpiresAt: r.invitationExpiresAt,
    lastSeenAt: r.lastSeenAt,
    sites: sites.get(r.userId) ?? [],
  }));
}

/** Sets a user's role and replaces their sites, in one transaction. */
export async function setUserAccess(userId: string, access: { role: Role; sites: readonly SiteRef[] }, now = Date.now()): Promise<void> {
  const { sql, dialect } = getDb();
  await sql.transaction(async (tx) => {
    await tx.run(`UPDATE users SET role = ?, updated_at = ${dialect.authTimeOf('?')} WHERE id = ?`, [access.role, now, userId]);
    await tx.run('DELETE FROM user_sites WHERE user_id = ?', [userId]);
    if (access.sites.length) {
      await tx.run(
        `INSERT INTO user_sites (user_id, database_key, site_code) VALUES ${access.sites.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
        access.sites.flatMap((s) => [userId, s.databaseKey, s.code]),
      );
    }
  });
}

export async function markDemoUser(userId: string): Promise<void> {
  await getDb().sql.run('UPDATE users SET is_demo = TRUE WHERE id = ?', [userId]);
}

/** Deletes a user; sessions, password, sites and invitations go with it (foreign keys cascade). */
export async function deleteUser(userId: string): Promise<boolean> {
  return (await getDb().sql.run('DELETE FROM users WHERE id = ?', [userId])) > 0;
}

/** Removes the demo users (when real databases are configured): they must not outlive demo mode. */
export async function deleteDemoUsers(): Promise<number> {
  return getDb().sql.run('DELETE FROM users WHERE is_demo = TRUE');
}

/** Signs the user out everywhere (after a password change or a role change). */
export async function deleteUserSessions(userId: string): Promise<void> {
  await getDb().sql.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
}

export async function createInvitation(input: { tokenHash: string; userId: string; createdBy: string; createdAt: number; expiresAt: number }): Promise<void> {
  await getDb().sql.transaction(async (tx) => {
    // One live link per user: a new invitation replaces the old one.
    await tx.run('DELETE FROM invitations WHERE user_id = ?', [input.userId]);
    await tx.run('INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at) VALUES (@tokenHash, @userId, @createdBy, @createdAt, @expiresAt)', input);
  });
}

/** The invited user's id and email for a live token hash, or null (unknown, used or expired). */
export async function findInvitation(tokenHash: string, now = Date.now()): Promise<{ userId: string; email: string } | null> {
  const row = await getDb().sql.get<{ userId: string; email: string }>(
    'SELECT i.user_id AS "userId", u.email FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = ? AND i.expires_at > ?',
    [tokenHash, now],
  );
  return row ?? null;
}

/** Uses an invitation up; true when it was still there (a link works once, even with two instances racing). */
export async function consumeInvitation(tokenHash: string): Promise<boolean> {
  return (await getDb().sql.run('DELETE FROM invitations WHERE token_hash = ?', [tokenHash])) > 0;
}

export async function hasCredential(userId: string): Promise<boolean> {
  const row = await getDb().sql.get<{ id: string }>(
    `SELECT id FROM accounts WHERE user_id = ? AND provider_id = 'credential' AND password IS NOT NULL`,
    [userId],
  );
  return row !== undefined;
}
