import { defineConfig } from '@playwright/test';
import { E2E_DATABASE_URL, E2E_SERVER_LOG } from './tests/e2e/server-env';

/** The e2e suite runs the built app in demo mode on its own port and SQLite file. */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATABASE_URL = E2E_DATABASE_URL;

export default defineConfig({
  testDir: './tests/e2e',
  outputDir: './test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
  webServer: {
    // The server's output also goes to a file: the auth spec checks that no secret reaches the log.
    command: `rm -rf ./test-results/e2e ./test-results/e2e-auth && mkdir -p ./test-results/e2e-auth && npm start 2>&1 | tee ${E2E_SERVER_LOG}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATABASE_URL,
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
  },
});
