/**
 * Every route handler and server action refuses without a session, and never returns rows outside
 * the caller's sites, whatever the query says, on both dialects. Real parts: the report fixture
 * (a SQLite file with the real migrations, copied to a Postgres database of its own for the second
 * pass), real Better Auth sessions, the real route handlers and actions, and (for the sync status
 * and Sync now) a real sync runtime on the embedded simulator. Only Next.js's request scope is
 * stood in for: `headers()` returns the current test request's headers.
 */
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({
  headers: async () => request.headers,
  // Better Auth's nextCookies plugin sets the cookie here in a real request; tests read it from the
  // sign-in helper instead.
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

import { GET as dailyCsv } from '@/app/api/reports/daily/route';
import { GET as transactionsCsv } from '@/app/api/reports/transactions/route';
import { GET as syncStatus } from '@/app/api/sync/status/route';
import { syncNow } from '@/app/actions';
import { acceptInvitation, signIn } from '@/app/login/actions';
import { changeUser, inviteUser, removeUser } from '@/app/settings/users/actions';
import { getDb } from '@/db';
import { findUserIdByEmail } from '@/db/queries/users';
import { resetAuth } from '@/lib/auth/config';
import { getConfig, resetConfig } from '@/lib/env';
import { createSyncRuntime, type SyncRuntime } from '@/lib/sync/runtime';
import { DIALECTS } from '../../support/postgres';
import { createFixtureOn, type DialectFixture } from '../queries/support/dialects';
import { makeUser, requestHeaders, signIn as signInCookie } from './support';

const RANGE = 'from=2026-10-01&to=2026-11-22';

describe.each(DIALECTS)('access control on %s', (dialect) => {
  let fixture: DialectFixture;
  let runtime: SyncRuntime;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    fixture = await createFixtureOn(dialect, 'access');
    resetAuth();
    process.env.DATABASE_URL = fixture.url;
    process.env.SYNC_BACKFILL_DAYS = '1';
    resetConfig();
    await makeUser('owner@example.com', 'owner');
    await makeUser('manager@example.com', 'manager', [{ databaseKey: 'washu', code: 'JOL' }]);
    await makeUser('viewer@example.com', 'viewer', [{ databaseKey: 'icon', code: 'JOL' }]);
    for (const who of ['owner', 'manager', 'viewer']) cookies[who] = await signInCookie(`${who}@example.com`, undefined, `198.51.100.${who.length}`);
    // The process's sync runtime, as instrumentation would start it, without its start-up sync.
    runtime = await createSyncRuntime({ config: getConfig(), db: getDb() });
    (globalThis as { __washboardRuntime?: Promise<SyncRuntime> }).__washboardRuntime = Promise.resolve(runtime);
  });
  afterAll(async () => {
    await runtime.close();
    (globalThis as { __washboardRuntime?: unknown }).__washboardRuntime = undefined;
    await fixture.close();
    resetAuth();
    resetConfig();
  });

  /** Makes the next route call or action come from `who` (or from nobody). */
  function as(who: 'owner' | 'manager' | 'viewer' | null): Headers {
    request.headers = requestHeaders('203.0.113.50', who ? cookies[who] : undefined);
    return request.headers;
  }

  function get(path: string, who: 'owner' | 'manager' | 'viewer' | null) {
    return new NextRequest(new URL(path, 'http://localhost:3000'), { headers: as(who) });
  }

  /** (database name, site code) pairs of a CSV's rows, found by the header's column names. */
  async function sitesIn(response: Response): Promise<string[]> {
    const text = await response.text();
    const [header, ...lines] = text.trim().split('\r\n');
    const columns = header!.split(',');
    const db = columns.indexOf('database');
    const code = columns.indexOf('site_code');
    // Site codes and database keys hold no commas or quotes, and come before any free text.
    return [...new Set(lines.map((l) => `${l.split(',')[db]}:${l.split(',')[code]}`))].sort();
  }

  function formData(fields: Record<string, string | string[]>): FormData {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) form.append(k, value);
    return form;
  }

  async function redirectOf(action: Promise<unknown>): Promise<string> {
    try {
      await action;
    } catch (error) {
      const digest = (error as { digest?: string }).digest ?? '';
      if (digest.startsWith('NEXT_REDIRECT')) return digest.split(';')[2]!;
      throw error;
    }
    throw new Error('expected a redirect');
  }

  describe('route handlers without a session', () => {
    it('answer 401 with a sentence', async () => {
      for (const handler of [() => dailyCsv(get(`/api/reports/daily?${RANGE}`, null)), () => transactionsCsv(get(`/api/reports/transactions?${RANGE}`, null)), () => syncStatus(get('/api/sync/status', null))]) {
        const response = await handler();
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ message: 'Sign in to Washboard to use this.' });
      }
    });

    it('answer 401 to a forged or expired session cookie', async () => {
      request.headers = requestHeaders('203.0.113.50', 'washboard.session_token=forged.value');
      const response = await dailyCsv(new NextRequest(new URL(`/api/reports/daily?${RANGE}`, 'http://localhost:3000'), { headers: request.headers }));
      expect(response.status).toBe(401);
    });
  });

  describe('CSV routes', () => {
    it('give an owner every site', async () => {
      expect(await sitesIn(await dailyCsv(get(`/api/reports/daily?${RANGE}`, 'owner')))).toEqual(['Icon:JOL', 'Icon:OLD', 'WashU:JOL', 'WashU:PLN']);
    });

    it("give a manager only their site, with no parameters or with parameters inside it", async () => {
      for (const query of [RANGE, `${RANGE}&db=washu`, `${RANGE}&site=washu:JOL`, `${RANGE}&db=washu&site=washu:JOL`]) {
        for (const [handler, path] of [[dailyCsv, 'daily'], [transactionsCsv, 'transactions']] as const) {
          const response = await handler(get(`/api/reports/${path}?${query}`, 'manager'));
          expect(response.status).toBe(200);
          expect(await sitesIn(response)).toEqual(['WashU:JOL']);
        }
      }
    });

    it('refuse crafted parameters outside the scope as if the database or site did not exist', async () => {
      const cases = [
        [`${RANGE}&db=icon`, 'Washboard has no database called "icon".'],
        [`${RANGE}&site=icon:JOL`, 'There is no site "icon:JOL".'],
        [`${RANGE}&site=washu:PLN`, 'WashU has no site with code "PLN".'],
        [`${RANGE}&db=washu&db=icon`, 'Washboard has no database called "icon".'],
      ] as const;
      for (const [query, sentence] of cases) {
        for (const [handler, path] of [[dailyCsv, 'daily'], [transactionsCsv, 'transactions']] as const) {
          const response = await handler(get(`/api/reports/${path}?${query}`, 'manager'));
          expect(response.status).toBe(400);
          expect((await response.text()).trim()).toBe(sentence);
        }
      }
      // The same sentence as a database that really does not exist: nothing is revealed.
      expect((await (await dailyCsv(get(`/api/reports/daily?${RANGE}&db=nope`, 'manager'))).text()).trim()).toBe('Washboard has no database called "nope".');
    });

    it('record each export in the audit log with who, what and from where', async () => {
      const rows = await getDb().sql.all<{ who: string; detail: string; address: string }>(
        "SELECT actor_email AS who, detail, address FROM audit_log WHERE action = 'export' ORDER BY id",
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.at(-1)).toMatchObject({ who: 'manager@example.com', address: '203.0.113.50' });
      expect(rows.some((r) => /^Transactions CSV washboard-transactions-2026-10-01_2026-11-22\.csv/.test(r.detail))).toBe(true);
    });
  });

  describe('sync status', () => {
    it("lists only the viewer's databases", async () => {
      const keys = async (who: 'owner' | 'manager' | 'viewer') =>
        ((await (await syncStatus(get('/api/sync/status', who))).json()) as { databases: { key: string }[] }).databases.map((d) => d.key);
      expect((await keys('owner')).sort()).toEqual(['icon', 'washu']);
      expect(await keys('manager')).toEqual(['washu']);
      expect(await keys('viewer')).toEqual(['icon']);
    });
  });

  describe('Sync now', () => {
    const press = (database: string) => syncNow(null, formData({ database }));

    it('refuses without a session, a viewer, and a database outside the manager\'s sites', async () => {
      as(null);
      expect(await press('washu')).toMatchObject({ ok: false, message: 'Your session has ended: sign in again to sync.' });
      as('viewer');
      expect(await press('icon')).toMatchObject({ ok: false, message: 'Viewers cannot start a sync; ask a manager or an owner.' });
      as('manager');
      expect(await press('icon')).toMatchObject({ ok: false, message: 'There is no database "icon".' });
      expect(await press('DROP TABLE')).toMatchObject({ ok: false, message: 'Choose a database to sync.' });
    });

    it('answers "synced N s ago" for a database synced in the last minute instead of starting a run', async () => {
      const { sql } = getDb();
      const now = Date.now();
      await sql.run(
        "INSERT INTO sync_runs (database_key, trigger, status, started_at, finished_at, heartbeat_at) VALUES ('washu', 'manual', 'succeeded', ?, ?, ?)",
        [now - 20_000, now - 7_000, now - 7_000],
      );
      const runs = async () => Number((await sql.get<{ n: number }>('SELECT count(*) AS n FROM sync_runs'))!.n);
      const runsBefore = await runs();
      as('manager');
      const state = await press('washu');
      expect(state).toMatchObject({ ok: true, runs: [] });
      expect(state?.message).toMatch(/^WashU: synced [78] s ago\.$/);
      // "Sync all" for a manager covers their databases only.
      expect((await press('all'))?.message).toMatch(/^WashU: synced \d s ago\.$/);
      expect(await runs()).toBe(runsBefore);
      const audit = await sql.get("SELECT actor_email AS who, detail FROM audit_log WHERE action = 'sync-now' ORDER BY id DESC");
      expect(audit).toMatchObject({ who: 'manager@example.com' });
    });
  });

  describe('sign-in action', () => {
    it('says the email or password is wrong, then throttles with the sentence', async () => {
      as(null);
      request.headers.set('x-forwarded-for', '192.0.2.99');
      const attempt = () => signIn(null, formData({ email: 'manager@example.com', password: 'not the password', next: '/sync' }));
      for (let i = 0; i < 5; i++) expect(await attempt()).toMatchObject({ ok: false, message: 'The email or password is not right.' });
      expect(await attempt()).toMatchObject({ ok: false, message: 'Too many attempts; try again in 15 minutes.' });
      // The right password is refused too until then.
      expect(await signIn(null, formData({ email: 'manager@example.com', password: 'correct horse battery' }))).toMatchObject({
        message: 'Too many attempts; try again in 15 minutes.',
      });
    });

    it('sends the owner back to a local path only', async () => {
      as(null);
      request.headers.set('x-forwarded-for', '192.0.2.100');
      expect(await redirectOf(signIn(null, formData({ email: 'owner@example.com', password: 'correct horse battery', next: '/sync' })))).toBe('/sync');
      expect(
        await redirectOf(signIn(null, formData({ email: 'owner@example.com', password: 'correct horse battery', next: 'https://evil.example/' }))),
      ).toBe('/');
    });
  });

  describe('user management actions', () => {
    it('refuse anyone but an owner', async () => {
      for (const who of [null, 'manager', 'viewer'] as const) {
        as(who);
        const fields = { email: 'new@example.com', role: 'owner', site: [] };
        expect(await inviteUser(null, formData(fields))).toMatchObject({ ok: false, message: 'Only an owner can manage users; sign in as an owner.' });
        expect(await changeUser(null, formData({ userId: (await findUserIdByEmail('owner@example.com'))!, role: 'viewer' }))).toMatchObject({ ok: false });
        expect(await removeUser(null, formData({ userId: (await findUserIdByEmail('owner@example.com'))! }))).toMatchObject({ ok: false });
      }
      expect(await findUserIdByEmail('new@example.com')).toBeNull();
    });

    it('let an owner invite a manager for one site, who sets a password through the link once', async () => {
      as('owner');
      const invited = await inviteUser(null, formData({ email: 'New.Manager@Example.com', role: 'manager', site: ['icon:JOL'] }));
      expect(invited).toMatchObject({ ok: true, email: 'new.manager@example.com' });
      const link = invited && invited.ok ? invited.link! : '';
      expect(link).toMatch(/^http:\/\/[^/]+\/invite\/[A-Za-z0-9_-]{43}$/);
      const token = link.split('/').at(-1)!;

      as(null);
      expect(await acceptInvitation(null, formData({ token, password: 'short', confirm: 'short' }))).toMatchObject({
        ok: false,
        message: 'The password is too short: use at least 10 characters.',
      });
      expect(await redirectOf(acceptInvitation(null, formData({ token, password: 'a long new password', confirm: 'a long new password' })))).toBe('/');
      expect(await acceptInvitation(null, formData({ token, password: 'another long one', confirm: 'another long one' }))).toMatchObject({
        ok: false,
        message: 'This invitation link has expired or was already used: ask an owner for a new one.',
      });
      const cookie = await signInCookie('new.manager@example.com', 'a long new password', '198.51.100.77');
      request.headers = requestHeaders('198.51.100.77', cookie);
      const response = await dailyCsv(new NextRequest(new URL(`/api/reports/daily?${RANGE}`, 'http://localhost:3000'), { headers: request.headers }));
      expect(await sitesIn(response)).toEqual(['Icon:JOL']);
    });

    it('let an owner change and remove users, and never leave Washboard without an owner', async () => {
      as('owner');
      const managerId = (await findUserIdByEmail('manager@example.com'))!;
      expect(await changeUser(null, formData({ userId: managerId, role: 'manager', site: ['washu:JOL', 'washu:PLN'] }))).toMatchObject({ ok: true });
      request.headers = requestHeaders('203.0.113.50', cookies.manager);
      expect(await sitesIn(await dailyCsv(get(`/api/reports/daily?${RANGE}`, 'manager')))).toEqual(['WashU:JOL', 'WashU:PLN']);

      as('owner');
      expect(await removeUser(null, formData({ userId: (await findUserIdByEmail('owner@example.com'))! }))).toMatchObject({
        ok: false,
        message: 'You cannot remove yourself; another owner can.',
      });
      expect(await removeUser(null, formData({ userId: managerId }))).toMatchObject({ ok: true });
      // Their session ends with them.
      expect((await dailyCsv(get(`/api/reports/daily?${RANGE}`, 'manager'))).status).toBe(401);
    });
  });
});
