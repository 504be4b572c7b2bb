import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from './fixtures';
import { waitForStartupSync } from './support';

test('Sync now moves the gauge and the progress, and ends with fresher data', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/sync');
  await expect(page.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  await waitForStartupSync(page.request);

  const card = page.getByTestId('sync-card-washu');
  await expect(card.getByRole('heading', { name: 'WashU' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sync now' })).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Sync all' })).toBeVisible();
  // Let the start-up sync's budget free up, so the gauge visibly moves from empty.
  const gauge = card.getByRole('meter');
  await expect(gauge).toHaveAttribute('aria-valuenow', '0', { timeout: 30_000 });
  const runsBefore = await card.getByTestId('sync-runs-washu').locator('li').count();

  await card.getByRole('button', { name: 'Sync now' }).click();
  await expect(card.getByTestId('sync-progress-washu')).toBeVisible({ timeout: 10_000 });
  await expect(card.getByRole('progressbar')).toBeVisible();
  await expect
    .poll(async () => Number(await gauge.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await page.screenshot({ path: 'tests/e2e/artifacts/sync-running.png', fullPage: true });

  // The run ends: a new run in the list, started from this page, and "Last synced just now".
  await expect(card.getByTestId('sync-freshness-washu')).toHaveText(/Last synced (just now|\d+ s ago)/, { timeout: 60_000 });
  await expect(card.getByTestId('sync-runs-washu').locator('li')).toHaveCount(runsBefore + 1);
  await expect(card.getByTestId('sync-runs-washu').locator('li').first()).toContainText('Done');
  await expect(card.getByTestId('sync-runs-washu').locator('li').first()).toContainText('started from this page');
  await expect(card.getByTestId('gauge-429-washu')).toHaveText('0');
  await page.screenshot({ path: 'tests/e2e/artifacts/sync.png', fullPage: true });
});

test('a backup taken while the app runs shows on the sync page and in /api/health', async ({ page, request, storage }) => {
  // `npm run backup` as an operator runs it next to the running app (same DATABASE_URL as the server).
  const backup = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backup.ts'], {
    env: { ...process.env, DATABASE_URL: storage.databaseUrl, BACKUP_DIR: storage.backupDir },
    encoding: 'utf8',
  });
  expect(backup.status, backup.stderr).toBe(0);
  const snapshot = backup.stdout.trim();
  // A SQLite snapshot is named after the file, a Postgres dump after the database (db/backup).
  const name = storage.name === 'sqlite' ? /^washboard-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.db$/ : /^washboard_e2e-pg-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.dump$/;
  expect(path.basename(snapshot)).toMatch(name);

  const health = (await (await request.get('/api/health')).json()) as { lastBackupAt: string | null; lastBackupAgeSeconds: number | null };
  expect(health.lastBackupAt).not.toBeNull();
  expect(health.lastBackupAgeSeconds).toBeLessThan(120);

  await page.goto('/sync');
  const section = page.getByRole('region', { name: 'Backups' });
  await expect(section.getByTestId('backup-age')).toHaveText(/^Last good backup (just now|\d+ s ago|1 min ago) \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, [\d.]+ MB\)\.$/);
  await expect(section).toContainText('npm run restore -- --from PATH');
});
