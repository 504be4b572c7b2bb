/**
 * Playwright's `test`, signed in as the demo owner: every page, `page.request` and `request` carry
 * the owner's session, so the specs that predate accounts run unchanged (they import from here).
 * The sign-in happens once per worker, through the sign-in page's "Sign in as demo owner" button.
 * Specs that sign out or sign in as someone else use their own browser context (tests/e2e/auth.spec.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test as base, type Browser } from '@playwright/test';
import { E2E_SQLITE, type E2EStorage } from './server-env';

export * from '@playwright/test';

const STATE_DIR = path.join('test-results', 'e2e-auth');

/** Signs in through the sign-in page's demo button and returns the browser's saved cookies. */
export async function demoSessionState(browser: Browser, baseURL: string, account: 'owner' | 'manager'): Promise<string> {
  const file = path.join(STATE_DIR, `demo-${account}-${process.pid}.json`);
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('button', { name: `Sign in as demo ${account}` }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  await context.storageState({ path: file });
  await context.close();
  return file;
}

/** The project's storage (playwright.config.ts sets it per project): where its server keeps its data. */
export interface StorageOptions {
  storage: E2EStorage;
}

export const test = base.extend<object, StorageOptions & { ownerState: string }>({
  storage: [E2E_SQLITE, { option: true, scope: 'worker' }],
  ownerState: [
    async ({ browser }, provide, workerInfo) => {
      await provide(await demoSessionState(browser, String(workerInfo.project.use.baseURL), 'owner'));
    },
    { scope: 'worker' },
  ],
  storageState: async ({ ownerState }, provide) => {
    await provide(ownerState);
  },
});
