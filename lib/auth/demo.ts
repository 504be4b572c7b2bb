/**
 * Demo mode's accounts (issue 12): an owner, and a manager assigned WashU's JOLIET only, so one
 * click on the sign-in page shows the dashboard, or what a manager sees. Their passwords are random,
 * made at each start and kept in this process's memory only: the sign-in page's demo buttons (shown
 * in demo mode only) are the one way in. When real databases are configured they are removed.
 */
import crypto from 'node:crypto';
import { deleteDemoUsers, findUserIdByEmail, markDemoUser, setUserAccess } from '@/db/queries/users';
import type { SiteRef } from '@/lib/reports/scope';
import type { Role } from './roles';
import { ensureAccount } from './users';

export type DemoAccount = 'owner' | 'manager';

export const DEMO_USERS: Record<DemoAccount, { email: string; role: Role; sites: SiteRef[] }> = {
  owner: { email: 'owner@demo.washboard.test', role: 'owner', sites: [] },
  manager: { email: 'manager@demo.washboard.test', role: 'manager', sites: [{ databaseKey: 'washu', code: 'JOLIET' }] },
};

const globalForDemo = globalThis as unknown as { __washboardDemoPasswords?: Map<DemoAccount, string> };

/** Creates (or resets) both demo users with fresh passwords. */
export async function ensureDemoUsers(): Promise<void> {
  const passwords = new Map<DemoAccount, string>();
  for (const [account, user] of Object.entries(DEMO_USERS) as [DemoAccount, (typeof DEMO_USERS)[DemoAccount]][]) {
    const password = crypto.randomBytes(24).toString('base64url');
    const userId = await ensureAccount({ ...user, password, isDemo: true });
    await markDemoUser(userId);
    await setUserAccess(userId, { role: user.role, sites: user.sites });
    passwords.set(account, password);
  }
  globalForDemo.__washboardDemoPasswords = passwords;
}

/** The demo user's email and this process's password for it (creating the users if needed). */
export async function demoCredentials(account: DemoAccount): Promise<{ email: string; password: string }> {
  if (!globalForDemo.__washboardDemoPasswords || !(await findUserIdByEmail(DEMO_USERS[account].email))) await ensureDemoUsers();
  return { email: DEMO_USERS[account].email, password: globalForDemo.__washboardDemoPasswords!.get(account)! };
}

export async function removeDemoUsers(): Promise<number> {
  globalForDemo.__washboardDemoPasswords = undefined;
  return deleteDemoUsers();
}
