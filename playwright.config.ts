import { defineConfig } from '@playwright/test';

/** The e2e suite runs the built app in demo mode on its own port and SQLite file. */
const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? './test-results/e2e/washboard.db';

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
    command: `rm -rf ./test-results/e2e && npm start`,
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
    },
  },
});
