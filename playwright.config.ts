import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import type { StorageOptions } from './tests/e2e/fixtures';
import { E2E_POSTGRES, E2E_SQLITE, type E2EStorage } from './tests/e2e/server-env';

/**
 * The e2e suite runs the built app in demo mode, once on a SQLite file and once on a Postgres
 * database (issue 14), each server on its own port. The two projects run side by side, each on one
 * worker (its specs share its server's state in order).
 */
const storages = [E2E_SQLITE, ...(E2E_POSTGRES ? [E2E_POSTGRES] : [])];
if (!E2E_POSTGRES) console.warn('No Postgres server (run through `npm test`, or set WASHBOARD_TEST_POSTGRES): the e2e suite runs on SQLite only.');

function webServer(storage: E2EStorage): Extract<NonNullable<PlaywrightTestConfig['webServer']>, { command: string }> {
  const prepare =
    storage.name === 'sqlite'
      ? `rm -rf ./test-results/e2e`
      : `rm -rf ./test-results/e2e-postgres && node_modules/.bin/tsx tests/e2e/postgres-database.ts '${storage.databaseUrl}'`;
  return {
    // The server's output also goes to a file: the auth spec checks that no secret reaches the log.
    command: `${prepare} && mkdir -p ./test-results/e2e-auth && rm -f ${storage.serverLog} && npm start 2>&1 | tee ${storage.serverLog}`,
    url: `http://127.0.0.1:${storage.port}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(storage.port),
      DATABASE_URL: storage.databaseUrl,
      BACKUP_DIR: storage.backupDir,
      NEXT_TELEMETRY_DISABLED: '1',
      SONNYS_DATABASES: '',
      // A short first backfill so the start-up sync ends within the suite; no scheduled runs mid-test.
      SYNC_BACKFILL_DAYS: '3',
      SYNC_INTERVAL_MINUTES: '0',
      // A shrunken throttle (simulator and limiter alike) makes a run last long enough to watch.
      SONNYS_RATE_LIMIT: '6/2s',
      // Sync now right after the start-up sync must start a run here (sync.spec.ts); the
      // one-minute rule is tested in tests/integration/auth/access.test.ts.
      SYNC_NOW_COOLDOWN_SECONDS: '0',
    },
  };
}

export default defineConfig<StorageOptions>({
  testDir: './tests/e2e',
  outputDir: './test-results/playwright',
  fullyParallel: false,
  workers: storages.length,
  retries: 0,
  timeout: 120_000,
  reporter: [['list']],
  projects: storages.map((storage) => ({
    name: storage.name,
    workers: 1,
    // Several instances share a database only on Postgres.
    testIgnore: storage.name === 'postgres' ? [] : ['**/instances.spec.ts'],
    use: { baseURL: `http://127.0.0.1:${storage.port}`, storage },
  })),
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: storages.map(webServer),
});
