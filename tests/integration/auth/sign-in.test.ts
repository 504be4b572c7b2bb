/**
 * Sign-in through Better Auth on a real database of each dialect: the cookie's attributes, the throttle counted
 * in the database, sessions that end after 7 idle days or with their user, and no secret written
 * where it should not be.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { ensureStoredAuthSecret } from '@/db/queries/auth-secret';
import { findUserIdByEmail, setUserAccess } from '@/db/queries/users';
import { getAuth } from '@/lib/auth/config';
import { viewerFromHeaders } from '@/lib/auth/session';
import { removeUser } from '@/lib/auth/users';
import { DIALECTS } from '../../support/postgres';
import { createAuthFixture, makeUser, requestHeaders, signIn, type AuthFixture } from './support';

const PASSWORD = 'correct horse battery';

describe.each(DIALECTS)('accounts on %s', (dialect) => {
let fixture: AuthFixture;

beforeAll(async () => {
  fixture = await createAuthFixture(dialect);
  await makeUser('amy@example.com', 'manager', [{ databaseKey: 'washu', code: 'JOLIET' }]);
  await makeUser('bob@example.com', 'viewer', [{ databaseKey: 'icon', code: 'DENVER' }]);
});
afterAll(() => fixture.close());

const userId = async (email: string) => (await findUserIdByEmail(email))!;

async function attempt(email: string, password: string, address: string): Promise<number | 'ok'> {
  try {
    await signIn(email, password, address);
    return 'ok';
  } catch (error) {
    return (error as { statusCode: number }).statusCode;
  }
}

describe('the session cookie', () => {
  it('is httpOnly, SameSite=Lax, 7 days, and not Secure over plain http', async () => {
    const { headers } = await (await getAuth()).api.signInEmail({ body: { email: 'amy@example.com', password: PASSWORD }, headers: requestHeaders('192.0.2.1'), returnHeaders: true });
    const cookie = headers.getSetCookie().find((c) => c.startsWith('washboard.session_token='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Max-Age=604800/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('is Secure (with the __Secure- prefix) when the page was served over https', async () => {
    const secureHeaders = requestHeaders('192.0.2.2');
    secureHeaders.set('x-forwarded-proto', 'https');
    const { headers } = await (await getAuth({ secure: true })).api.signInEmail({ body: { email: 'amy@example.com', password: PASSWORD }, headers: secureHeaders, returnHeaders: true });
    const cookie = headers.getSetCookie().find((c) => c.startsWith('__Secure-washboard.session_token='))!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    // And it is read back on an https request.
    secureHeaders.set('cookie', cookie.split(';')[0]!);
    expect(await viewerFromHeaders(secureHeaders)).toMatchObject({ email: 'amy@example.com' });
  });
});

describe('sessions', () => {
  it('carry the role and sites, read fresh on every request', async () => {
    const headers = requestHeaders('192.0.2.3', await signIn('amy@example.com', PASSWORD, '192.0.2.3'));
    expect(await viewerFromHeaders(headers)).toMatchObject({ role: 'manager', sites: [{ databaseKey: 'washu', code: 'JOLIET' }] });
    await setUserAccess(await userId('amy@example.com'), { role: 'viewer', sites: [{ databaseKey: 'icon', code: 'DENVER' }] });
    expect(await viewerFromHeaders(headers)).toMatchObject({ role: 'viewer', sites: [{ databaseKey: 'icon', code: 'DENVER' }] });
    await setUserAccess(await userId('amy@example.com'), { role: 'manager', sites: [{ databaseKey: 'washu', code: 'JOLIET' }] });
  });

  it('end after 7 days without use, and move their end forward when used', async () => {
    const headers = requestHeaders('192.0.2.4', await signIn('amy@example.com', PASSWORD, '192.0.2.4'));
    const token = decodeURIComponent(headers.get('cookie')!.split('=')[1]!).split('.')[0]!;
    const { sql, dialect: d } = getDb();
    const expiresAt = async () => (await sql.get<{ at: number }>(`SELECT ${d.authTimeMs('expires_at')} AS at FROM sessions WHERE token = ?`, [token]))!.at;
    const sevenDays = 7 * 24 * 3600_000;
    expect(Math.abs((await expiresAt()) - (Date.now() + sevenDays))).toBeLessThan(60_000);

    // Last used two days ago: reading it now moves the end to 7 days from now.
    await sql.run(`UPDATE sessions SET expires_at = ${d.authTimeOf('?')}, updated_at = ${d.authTimeOf('?')} WHERE token = ?`, [
      Date.now() + 5 * 86_400_000,
      Date.now() - 2 * 86_400_000,
      token,
    ]);
    expect(await viewerFromHeaders(headers)).not.toBeNull();
    expect(Math.abs((await expiresAt()) - (Date.now() + sevenDays))).toBeLessThan(60_000);

    // Idle past its end: refused.
    await sql.run(`UPDATE sessions SET expires_at = ${d.authTimeOf('?')} WHERE token = ?`, [Date.now() - 1000, token]);
    expect(await viewerFromHeaders(headers)).toBeNull();
  });

  it('end when their user is removed, and are refused for a forged token', async () => {
    await makeUser('carl@example.com', 'viewer', [{ databaseKey: 'washu', code: 'JOLIET' }]);
    const headers = requestHeaders('192.0.2.5', await signIn('carl@example.com', PASSWORD, '192.0.2.5'));
    expect(await viewerFromHeaders(headers)).not.toBeNull();
    await removeUser(await userId('carl@example.com'));
    expect(await viewerFromHeaders(headers)).toBeNull();
    expect(await viewerFromHeaders(requestHeaders('192.0.2.5', 'washboard.session_token=abc.def'))).toBeNull();
  });
});

describe('the guessing throttle', () => {
  it('refuses an email after 5 wrong passwords in 15 minutes, even with the right one', async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('bob@example.com', 'wrong password!', `198.51.100.${i}`)).toBe(401);
    expect(await attempt('bob@example.com', PASSWORD, '198.51.100.9')).toBe(429);
    // Another email from the same addresses is not affected.
    expect(await attempt('amy@example.com', PASSWORD, '198.51.100.1')).toBe('ok');
  });

  it('counts from the last success for an email', async () => {
    for (let i = 0; i < 4; i++) expect(await attempt('amy@example.com', 'wrong password!', '203.0.113.1')).toBe(401);
    expect(await attempt('amy@example.com', PASSWORD, '203.0.113.1')).toBe('ok');
    for (let i = 0; i < 4; i++) expect(await attempt('amy@example.com', 'wrong password!', '203.0.113.1')).toBe(401);
    expect(await attempt('amy@example.com', PASSWORD, '203.0.113.1')).toBe('ok');
  });

  it('refuses an address after 20 wrong passwords in 15 minutes, whatever the emails', async () => {
    for (let i = 0; i < 20; i++) expect(await attempt(`guess${i}@example.com`, 'wrong password!', '203.0.113.200')).toBe(401);
    expect(await attempt('amy@example.com', PASSWORD, '203.0.113.200')).toBe(429);
    expect(await attempt('amy@example.com', PASSWORD, '203.0.113.201')).toBe('ok');
  });

  it('says when to try again, and records refusals in the audit log without the password', async () => {
    try {
      await signIn('bob@example.com', PASSWORD, '198.51.100.50');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^Too many attempts; try again in 1[45] minutes\.$/);
    }
    const { sql } = getDb();
    const audit = (await sql.all<{ detail: string }>("SELECT detail FROM audit_log WHERE actor_email = 'bob@example.com' AND action = 'sign-in-failed'")).map((r) => r.detail);
    expect(audit).toContain('Wrong email or password.');
    expect(audit).toContain('Refused: too many attempts.');
    const everything = JSON.stringify(await sql.all('SELECT * FROM audit_log'));
    expect(everything).not.toContain('wrong password!');
    expect(everything).not.toContain(PASSWORD);
  });
});

describe('secrets', () => {
  it('keeps the generated secret where every instance finds it (beside the SQLite file, owner-only; in Postgres), and hashes passwords', async () => {
    const file = path.join(fixture.dir, 'auth-secret');
    const { sql } = getDb();
    const stored = await sql.get<{ value: string }>("SELECT value FROM app_state WHERE key = 'auth_secret'");
    if (dialect === 'sqlite') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(stored).toBeUndefined();
    } else {
      // Several machines share it: not a file beside one of them.
      expect(fs.existsSync(file)).toBe(false);
      expect(stored?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // A second instance starting with its own candidate gets the first one's secret.
      expect(await ensureStoredAuthSecret('another instance candidate')).toBe(stored!.value);
    }
    const hashes = (await sql.all<{ password: string }>("SELECT password FROM accounts WHERE provider_id = 'credential'")).map((r) => r.password);
    expect(hashes.length).toBeGreaterThan(0);
    for (const hash of hashes) {
      expect(hash).not.toContain(PASSWORD);
      expect(hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/); // scrypt salt:key
    }
  });
});
});
