/**
 * Washboard's own reads and writes of accounts: roles, site assignments, invitations and the user
 * list. Better Auth writes users, sessions and password hashes through its drizzle adapter; these
 * statements never select a password hash.
 *
 * Not `server-only`: the users CLI (scripts/users.ts) shares them with the web server.
 */
import { and, asc, count, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { getSqliteDb as getDb } from '@/db';
import { accounts, invitations, sessions, users, userSites } from '@/db/schema';
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

function sitesOf(userIds: string[]): Map<string, SiteRef[]> {
  const bySite = new Map<string, SiteRef[]>();
  if (!userIds.length) return bySite;
  const rows = getDb()
    .orm.select()
    .from(userSites)
    .where(inArray(userSites.userId, userIds))
    .orderBy(asc(userSites.databaseKey), asc(userSites.siteCode))
    .all();
  for (const row of rows) {
    const list = bySite.get(row.userId) ?? [];
    list.push({ databaseKey: row.databaseKey, code: row.siteCode });
    bySite.set(row.userId, list);
  }
  return bySite;
}

/** A user's role and sites, read on every request that checks a session (a removed user has none). */
export function getUserAccess(userId: string): UserAccess | null {
  const user = getDb().orm.select({ id: users.id, email: users.email, role: users.role, isDemo: users.isDemo }).from(users).where(eq(users.id, userId)).get();
  if (!user) return null;
  return { userId: user.id, email: user.email, role: user.role as Role, isDemo: user.isDemo, sites: sitesOf([user.id]).get(user.id) ?? [] };
}

export function findUserIdByEmail(email: string): string | null {
  return getDb().orm.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).get()?.id ?? null;
}

export function countUsers(): number {
  return getDb().orm.select({ n: count() }).from(users).where(eq(users.isDemo, false)).get()?.n ?? 0;
}

export function countOwners(): number {
  return getDb().orm.select({ n: count() }).from(users).where(eq(users.role, 'owner')).get()?.n ?? 0;
}

/** Every user (demo users last), with what the settings page and `users list` show. */
export function listUsers(now = Date.now()): UserListEntry[] {
  const { orm } = getDb();
  const rows = orm
    .select({
      userId: users.id,
      email: users.email,
      role: users.role,
      isDemo: users.isDemo,
      createdAt: users.createdAt,
      // Qualified by hand: drizzle writes a lone `"id"` in a single-table select, which the
      // subqueries would read as their own table's id.
      hasPassword: sql<number>`exists (select 1 from accounts a where a.user_id = users.id and a.provider_id = 'credential' and a.password is not null)`,
      invitationExpiresAt: sql<number | null>`(select max(i.expires_at) from invitations i where i.user_id = users.id and i.expires_at > ${now})`,
      lastSeenAt: sql<number | null>`(select max(s.updated_at) from sessions s where s.user_id = users.id)`,
    })
    .from(users)
    .orderBy(asc(users.isDemo), asc(users.email))
    .all();
  const sites = sitesOf(rows.map((r) => r.userId));
  return rows.map((r) => ({
    userId: r.userId,
    email: r.email,
    role: r.role as Role,
    isDemo: r.isDemo,
    createdAt: r.createdAt.getTime(),
    hasPassword: r.hasPassword === 1,
    invitationExpiresAt: r.invitationExpiresAt,
    lastSeenAt: r.lastSeenAt,
    sites: sites.get(r.userId) ?? [],
  }));
}

/** Sets a user's role and replaces their sites, in one transaction. */
export function setUserAccess(userId: string, access: { role: Role; sites: readonly SiteRef[] }, now = Date.now()): void {
  const { orm } = getDb();
  orm.transaction((tx) => {
    tx.update(users).set({ role: access.role, updatedAt: new Date(now) }).where(eq(users.id, userId)).run();
    tx.delete(userSites).where(eq(userSites.userId, userId)).run();
    if (access.sites.length) {
      tx.insert(userSites)
        .values(access.sites.map((s) => ({ userId, databaseKey: s.databaseKey, siteCode: s.code })))
        .onConflictDoNothing()
        .run();
    }
  });
}

export function markDemoUser(userId: string): void {
  getDb().orm.update(users).set({ isDemo: true }).where(eq(users.id, userId)).run();
}

/** Deletes a user; sessions, password, sites and invitations go with it (foreign keys cascade). */
export function deleteUser(userId: string): boolean {
  return getDb().orm.delete(users).where(eq(users.id, userId)).run().changes > 0;
}

/** Removes the demo users (when real databases are configured): they must not outlive demo mode. */
export function deleteDemoUsers(): number {
  return getDb().orm.delete(users).where(eq(users.isDemo, true)).run().changes;
}

/** Signs the user out everywhere (after a password change or a role change). */
export function deleteUserSessions(userId: string): void {
  getDb().orm.delete(sessions).where(eq(sessions.userId, userId)).run();
}

export function createInvitation(input: { tokenHash: string; userId: string; createdBy: string; createdAt: number; expiresAt: number }): void {
  const { orm } = getDb();
  orm.transaction((tx) => {
    // One live link per user: a new invitation replaces the old one.
    tx.delete(invitations).where(eq(invitations.userId, input.userId)).run();
    tx.insert(invitations).values(input).run();
  });
}

/** The invited user's id and email for a live token hash, or null (unknown, used or expired). */
export function findInvitation(tokenHash: string, now = Date.now()): { userId: string; email: string } | null {
  return (
    getDb()
      .orm.select({ userId: invitations.userId, email: users.email })
      .from(invitations)
      .innerJoin(users, eq(users.id, invitations.userId))
      .where(and(eq(invitations.tokenHash, tokenHash), gt(invitations.expiresAt, now)))
      .get() ?? null
  );
}

/** Uses an invitation up; true when it was still there (a link works once). */
export function consumeInvitation(tokenHash: string): boolean {
  return getDb().orm.delete(invitations).where(eq(invitations.tokenHash, tokenHash)).run().changes > 0;
}

export function hasCredential(userId: string): boolean {
  return (
    getDb()
      .orm.select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.userId, userId), eq(accounts.providerId, 'credential'), isNotNull(accounts.password)))
      .get() !== undefined
  );
}
