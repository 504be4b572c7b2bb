/**
 * Accounts and site-scoped access in a real Chromium against the built app (issue 12). Each test
 * uses browser contexts of its own (not the suite's shared owner session), as separate people on
 * separate browsers would.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import pg from 'pg';
import { demoSessionState, type StorageOptions } from './fixtures';
import { E2E_SQLITE, type E2EStorage } from './server-env';
import { waitForStartupSync } from './support';

// The suite's plain `test` (each test makes its own browser contexts), with the project's storage.
const test = base.extend<object, StorageOptions>({ storage: [E2E_SQLITE, { option: true, scope: 'worker' }] });

// Reports need the demo's start-up sync; wait for it once, as the owner (who sees both databases).
test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  const context = await demoContext(browser, String(test.info().project.use.baseURL), 'owner');
  await waitForStartupSync(context.request);
  await context.close();
});

/** A new browser context signed in as a demo account through the sign-in page. */
async function demoContext(browser: Browser, baseURL: string, account: 'owner' | 'manager'): Promise<BrowserContext> {
  return browser.newContext({ baseURL, storageState: await demoSessionState(browser, baseURL, account) });
}

/** `npm run users -- …` against the e2e server's database, as an operator on that machine would run it. */
function usersCli(storage: E2EStorage, args: string[], password: string) {
  const result = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['scripts/users.ts', ...args], {
    input: `${password}\n`,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: storage.databaseUrl, SONNYS_DATABASES: '' },
    timeout: 120_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The (database, site code) pairs of a downloaded CSV, by its header's columns. */
function csvSites(text: string): string[] {
  const [header, ...lines] = text.trim().split('\r\n');
  const columns = header!.split(',');
  const db = columns.indexOf('database');
  const code = columns.indexOf('site_code');
  return [...new Set(lines.map((l) => `${l.split(',')[db]}:${l.split(',')[code]}`))].sort();
}

/** Site codes in the overview's site table. */
async function siteCodes(page: Page): Promise<string[]> {
  const rows = page.locator('#sites tbody tr');
  const codes: string[] = [];
  for (const text of await rows.allTextContents()) codes.push(text);
  return codes;
}

test('pages send visitors to sign in and back to where they were going; the API answers 401', async ({ page, request }) => {
  await page.goto('/sync?from=here');
  await expect(page).toHaveURL(/\/login\?next=%2Fsync%3Ffrom%3Dhere$/);
  await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'tests/e2e/artifacts/login.png', fullPage: true });
  await page.getByRole('button', { name: 'Sign in as demo owner' }).click();
  await expect(page).toHaveURL(/\/sync\?from=here$/);

  for (const url of ['/api/sync/status', '/api/reports/daily', '/api/reports/transactions?db=icon']) {
    const response = await request.get(url);
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ message: 'Sign in to Washboard to use this.' });
  }
  expect((await request.get('/api/health')).status()).toBe(200);
});

test('signing in with a password and out again', async ({ page, storage }) => {
  const email = `owner-${Date.now()}@example.com`;
  usersCli(storage, ['add', '--email', email, '--role', 'owner'], 'a long and good password');
  await page.goto('/');
  await signInWithPassword(page, email, 'a long and good password');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'washboard.session_token')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
  expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(7 * 86_400 - 120);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/sync');
  await expect(page).toHaveURL(/\/login\?next=%2Fsync$/);
  // The old cookie, replayed, no longer opens anything.
  await page.context().addCookies([cookie]);
  const replay = await page.context().request.get('/api/sync/status');
  expect(replay.status()).toBe(401);
});

test('the demo owner sees both databases', async ({ browser, baseURL }) => {
  const context = await demoContext(browser, baseURL!, 'owner');
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('database-row-washu')).toBeVisible();
  await expect(page.getByTestId('database-row-icon')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toBeVisible();
  await context.close();
});

test('the demo manager sees only JOLIET on the overview, on the sync page and in both CSVs', async ({ browser, baseURL }) => {
  const context = await demoContext(browser, baseURL!, 'manager');
  const page = await context.newPage();
  await page.goto('/?preset=last7');
  await expect(page.getByTestId('signed-in-email')).toHaveText('manager@demo.washboard.test');
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  const rows = await siteCodes(page);
  expect(rows.length).toBe(1);
  expect(rows[0]).toContain('JOLIET');
  expect(rows[0]).toContain('WashU');
  await expect(page.getByTestId('database-row-washu')).toBeVisible();
  await expect(page.getByTestId('database-row-icon')).toHaveCount(0);
  await page.screenshot({ path: 'tests/e2e/artifacts/manager-overview.png', fullPage: true });

  for (const id of ['download-daily', 'download-transactions']) {
    const href = await page.getByTestId(id).getAttribute('href');
    const response = await context.request.get(href!);
    expect(response.status()).toBe(200);
    expect(csvSites(await response.text())).toEqual(['WashU:JOLIET']);
  }
  // Crafted parameters do not widen the scope: outside it is "no such database/site".
  const crafted = await context.request.get('/api/reports/daily?preset=last7&db=icon');
  expect(crafted.status()).toBe(400);
  expect((await crafted.text()).trim()).toBe('Washboard has no database called "icon".');
  const sibling = await context.request.get('/api/reports/transactions?preset=last7&site=washu:ROMEOVILLE');
  expect(sibling.status()).toBe(400);

  await page.goto('/sync');
  await expect(page.getByTestId('sync-card-washu')).toBeVisible();
  await expect(page.getByTestId('sync-card-icon')).toHaveCount(0);
  const status = (await (await context.request.get('/api/sync/status')).json()) as { databases: { key: string }[] };
  expect(status.databases.map((d) => d.key)).toEqual(['washu']);
  await context.close();
});

// Waits for the lead's one-line wiring of canSeeSite into app/sites/[database]/[code]/page.tsx
// (see the report): the site page is not this branch's to edit.
test('the demo manager gets 404 on a site outside their scope', async ({ browser, baseURL }) => {
  const context = await demoContext(browser, baseURL!, 'manager');
  const response = await context.request.get('/sites/icon/DENVER');
  expect(response.status()).toBe(404);
  expect((await context.request.get('/sites/washu/JOLIET')).status()).toBe(200);
  await context.close();
});

test('a viewer has no Sync now', async ({ page, storage }) => {
  const email = `viewer-${Date.now()}@example.com`;
  usersCli(storage, ['add', '--email', email, '--role', 'viewer', '--sites', 'icon/MESA'], 'viewer password 123');
  await page.goto('/sync');
  await signInWithPassword(page, email, 'viewer password 123');
  await expect(page).toHaveURL(/\/sync$/);
  await expect(page.getByTestId('sync-summary-icon')).toBeVisible();
  await expect(page.getByRole('button', { name: /Sync now|Sync all/ })).toHaveCount(0);
  await page.goto('/settings/users');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the throttle message after repeated wrong passwords', async ({ page }) => {
  const email = `guess-${Date.now()}@example.com`;
  await page.goto('/login');
  const password = page.getByLabel('Password', { exact: true });
  for (let i = 0; i < 5; i++) {
    await signInWithPassword(page, email, `wrong password ${i}`);
    // The form empties the password once the answer is in: only then type the next guess.
    await expect(password).toHaveValue('');
    await expect(page.getByTestId('login-error')).toHaveText('The email or password is not right.');
  }
  await signInWithPassword(page, email, 'wrong password 5');
  await expect(page.getByTestId('login-error')).toHaveText(/^Too many attempts; try again in 1[45] minutes\.$/);
  await page.screenshot({ path: 'tests/e2e/artifacts/login-throttled.png', fullPage: true });
});

test('an owner invites a manager for one site, who signs in from another browser and sees exactly that site', async ({ browser, baseURL }) => {
  const owner = await demoContext(browser, baseURL!, 'owner');
  const page = await owner.newPage();
  await page.goto('/settings/users');
  const email = `denver-${Date.now()}@example.com`;
  const invite = page.getByRole('region', { name: 'Invite a user' });
  await invite.getByLabel('Email', { exact: true }).fill(email);
  await invite.getByLabel('Role').selectOption('manager');
  await invite.getByLabel('Icon Denver - Colfax DENVER').check();
  await invite.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.getByTestId('invite-link').inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: 'tests/e2e/artifacts/users.png', fullPage: true });

  const other = await browser.newContext({ baseURL });
  const invited = await other.newPage();
  await invited.goto(new URL(link).pathname);
  await expect(invited.getByTestId('invited-email')).toHaveText(email);
  await invited.getByLabel('Password', { exact: true }).fill('denver manager pw');
  await invited.getByLabel('Confirm password').fill('denver manager pw');
  await invited.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(invited).toHaveURL(/\/$/);
  await invited.goto('/?preset=last7');
  const rows = await siteCodes(invited);
  expect(rows.length).toBe(1);
  expect(rows[0]).toContain('DENVER');
  const csv = await other.request.get(`/api/reports/transactions?preset=last7`);
  expect(csvSites(await csv.text())).toEqual(['Icon:DENVER']);

  // The owner's audit log shows the invitation, the sign-in and the export.
  await page.goto('/settings/audit');
  const audit = page.getByTestId('audit-table');
  await expect(audit).toContainText(`Invited ${email} as Manager of icon/DENVER.`);
  await expect(audit).toContainText('Transactions CSV');
  await expect(audit.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Signed in' })).not.toHaveCount(0);
  await other.close();
  await owner.close();
});

test('every response carries the security headers; bad input gets 400, not 500', async ({ browser, baseURL }) => {
  const context = await demoContext(browser, baseURL!, 'owner');
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  for (const url of ['/', '/sync', '/settings/users', '/settings/audit', '/sites/washu/JOLIET', '/login']) {
    const response = await page.goto(url);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  }
  // Charts render (their SVG comes from client scripts), and nothing was refused by the policy.
  await page.goto('/');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  expect(violations).toEqual([]);

  const bad = await page.goto('/?from=2026-13-45&to=2026-12-01');
  expect(bad!.status()).toBe(400);
  await expect(page.getByTestId('report-problem-message')).toHaveText('The start date 2026-13-45 does not exist on the calendar.');
  expect((await page.goto('/?preset=nope'))!.status()).toBe(400);
  expect((await page.goto('/sites/washu/%FF'))!.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'This address cannot be read' })).toBeVisible();
  expect((await context.request.get('/api/reports/daily?preset=nope')).status()).toBe(400);

  const action = { 'Next-Action': 'not-an-action', 'Content-Type': 'text/plain;charset=UTF-8' };
  expect((await context.request.post('/sync', { headers: action, data: '[]' })).status()).toBe(400);
  const forged = { 'Next-Action': 'a'.repeat(42), 'Content-Type': 'text/plain;charset=UTF-8' };
  expect((await context.request.post('/sync', { headers: forged, data: '{{{' })).status()).toBe(400);
  const large = await context.request.post('/sync', { headers: { 'Next-Action': 'a'.repeat(42) }, multipart: { '0': '["$K1"]', '1_x': 'a'.repeat(300_000) } });
  expect(large.status()).toBe(413);
  await context.close();
});

/** The session secret and the stored password hashes of the project's database, as the server keeps them. */
async function storedSecrets(storage: E2EStorage): Promise<{ secret: string; hashes: string[] }> {
  if (storage.name === 'sqlite') {
    const secret = fs.readFileSync(path.join(path.dirname(storage.databaseUrl), 'auth-secret'), 'utf8').trim();
    const db = new Database(storage.databaseUrl, { readonly: true });
    const hashes = db.prepare('SELECT password FROM accounts WHERE password IS NOT NULL').pluck().all() as string[];
    db.close();
    return { secret, hashes };
  }
  // On Postgres the generated secret lives in the database, shared by every instance.
  const client = new pg.Client({ connectionString: storage.databaseUrl });
  await client.connect();
  try {
    const secret = (await client.query("SELECT value FROM app_state WHERE key = 'auth_secret'")).rows[0]?.value as string;
    const hashes = (await client.query('SELECT password FROM accounts WHERE password IS NOT NULL')).rows.map((r) => r.password as string);
    return { secret, hashes };
  } finally {
    await client.end();
  }
}

test('no secret reaches a page, the browser bundle, the server log or a CSV', async ({ browser, baseURL, storage }) => {
  const { secret, hashes } = await storedSecrets(storage);
  expect(secret.length).toBeGreaterThan(20);
  const secrets = [secret, 'washu-demo-key', 'icon-demo-key'];
  expect(hashes.length).toBeGreaterThan(0);
  // A hash is salt:key; either half would be a leak.
  const needles = [...secrets, ...hashes.flatMap((h) => h.split(':'))];
  const expectClean = (where: string, text: string) => {
    for (const needle of needles) expect(text.includes(needle), `${where} holds a secret`).toBe(false);
  };

  const context = await demoContext(browser, baseURL!, 'owner');
  for (const url of ['/', '/sync', '/settings/users', '/settings/audit', '/sites/washu/JOLIET', '/login', '/api/sync/status']) {
    expectClean(url, await (await context.request.get(url)).text());
  }
  for (const url of ['/api/reports/daily?preset=last7', '/api/reports/transactions?preset=last7']) {
    expectClean(url, await (await context.request.get(url)).text());
  }
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const bundle = walk(path.join('.next', 'static'));
  expect(bundle.length).toBeGreaterThan(10);
  for (const file of bundle) expectClean(file, fs.readFileSync(file, 'latin1'));
  expectClean('server log', fs.readFileSync(storage.serverLog, 'utf8'));
  await context.close();
});
