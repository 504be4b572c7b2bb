import { expect, test, type Page } from './fixtures';
import { waitForStartupSync } from './support';

/**
 * The reporting pages. These pass on an empty database (before the first sync) and on a synced one:
 * checks that need data run only when the page shows some. Screenshots land in tests/e2e/artifacts/.
 */

const shot = (page: Page, name: string) => page.screenshot({ path: `tests/e2e/artifacts/${name}.png`, fullPage: true });

/** Tabs until `locator` has focus (or gives up), then checks the focus ring is drawn. */
async function tabTo(page: Page, matches: () => Promise<boolean>, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await matches()) return true;
  }
  return false;
}

async function focusRingOf(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return 'none';
    return getComputedStyle(el).outlineStyle;
  });
}

test.describe('overview', () => {
  test('renders with a heading, keyboard-reachable controls and a visible focus ring', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    const hasDatabases = (await page.getByRole('form', { name: 'Report filters' }).count()) > 0;
    if (hasDatabases) {
      const reached = await tabTo(page, async () => page.getByLabel('Date range').evaluate((el) => el === document.activeElement));
      expect(reached).toBe(true);
    } else {
      await expect(page.getByTestId('empty-state')).toBeVisible();
      const reached = await tabTo(page, async () => page.getByRole('link', { name: 'Overview' }).first().evaluate((el) => el === document.activeElement));
      expect(reached).toBe(true);
    }
    expect(await focusRingOf(page)).not.toBe('none');
    await shot(page, 'overview');
  });

  test('says what to do next when there is nothing to show, or shows figures with stable test ids', async ({ page }) => {
    await page.goto('/');
    const empty = page.getByTestId('empty-state');
    const emptyRange = page.getByTestId('empty-range');
    const kpi = page.getByTestId('kpi-revenue-value');
    await expect(empty.or(emptyRange).or(kpi)).toBeVisible();
    if (await empty.isVisible()) {
      await expect(empty).toContainText(/No databases yet|No transactions synced yet/);
      await expect(empty.getByRole('link').or(empty.locator('code')).first()).toBeVisible();
      return;
    }
    await expect(page.getByRole('link', { name: 'Download CSV', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download transactions CSV' })).toBeVisible();
    await expect(page.getByTestId('freshness')).toContainText(/synced|not synced yet/);
    if (await kpi.isVisible()) {
      await expect(kpi).toHaveAttribute('data-value', /^-?\d+$/);
      await expect(page.getByTestId('site-total-row')).toBeVisible();
      await expect(page.getByTestId('database-row-all')).toBeVisible();
      // Every chart has its numbers in a table.
      await page.getByText('Show data').first().click();
      await expect(page.getByTestId('revenue-by-site-data')).toBeVisible();
    }
  });

  test('works at phone width', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
    // Nothing but the tables' own scroll areas may be wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, 'overview-375');
  });
});

test.describe('bad input', () => {
  const cases = [
    ['/?from=2026-02-30&to=2026-03-02', 'The start date 2026-02-30 does not exist on the calendar.'],
    ['/?from=2026-03-05&to=2026-03-01', 'The start date 2026-03-05 is after the end date 2026-03-01.'],
    ['/?from=2020-01-01&to=2026-01-01', /at most 3 years/],
    ['/?preset=fortnight', '"fortnight" is not a date range Washboard knows.'],
    ['/?from=yesterday&to=2026-01-01', /is not a date written YYYY-MM-DD/],
    ['/?db=nope', 'Washboard has no database called "nope".'],
  ] as const;

  for (const [url, message] of cases) {
    test(`${url} explains the problem and offers the default view`, async ({ page }) => {
      const response = await page.goto(url);
      // An unreadable range is answered with 400 (proxy.ts); an unknown database still renders its sentence with 200.
      expect(response?.status()).toBe(url.includes('db=') ? 200 : 400);
      const problem = page.getByTestId('report-problem');
      await expect(problem).toBeVisible();
      await expect(page.getByTestId('report-problem-message')).toHaveText(message);
      await expect(page.getByText(/at .*\.tsx|TypeError|stack/i)).toHaveCount(0);
      if (url.includes('2026-02-30')) await shot(page, 'bad-range');
      await problem.getByRole('link', { name: 'Back to the default view' }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByTestId('report-problem')).toHaveCount(0);
    });
  }

  test('an unknown site answers 404, says so and links back', async ({ page }) => {
    const response = await page.goto('/sites/nope/NOPE?preset=last7');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Site not found' })).toBeVisible();
    await expect(page.getByTestId('report-problem-message')).toContainText('There is no site at this address');
    await shot(page, 'site-not-found');
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });

  test('an unknown address gets a plain not-found page', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the overview' })).toBeVisible();
  });
});

test.describe('CSV downloads', () => {
  test('the daily report streams with the agreed header and file name', async ({ request }) => {
    const response = await request.get('/api/reports/daily?from=2026-01-01&to=2026-01-31');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/csv/);
    expect(response.headers()['content-disposition']).toBe('attachment; filename="washboard-daily-2026-01-01_2026-01-31.csv"');
    const text = await response.text();
    expect(text.startsWith('date,database,site_code,site_name,transactions,revenue,')).toBe(true);
    for (const line of text.split('\r\n').slice(1, -1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2},/);
  });

  test('the transactions export has its header; bad filters get a 400 with the reason', async ({ request }) => {
    const ok = await request.get('/api/reports/transactions?preset=yesterday');
    expect(ok.status()).toBe(200);
    expect(ok.headers()['content-disposition']).toMatch(/^attachment; filename="washboard-transactions-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"$/);
    expect((await ok.text()).split('\r\n')[0]).toBe(
      'date,local_time,database,site_code,site_name,trans_id,trans_number,status,total,is_membership_sale,is_redemption,customer_id,is_wash,is_new_membership',
    );
    const bad = await request.get('/api/reports/daily?from=2026-02-30&to=2026-03-01');
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('does not exist on the calendar');
  });
});

test.describe('site page', () => {
  test('opens from the site table when there is data, with its time zone, KPIs and busiest hours', async ({ page }) => {
    test.setTimeout(240_000);
    await waitForStartupSync(page.request);
    await page.goto('/?preset=last30');
    // The demo backfills a few days; the overview says where its data starts.
    await expect(page.getByTestId('range-before-data')).toContainText('have not been synced');
    const firstSite = page.getByTestId('site-table').locator('tbody th a').first();
    await firstSite.click();
    await expect(page.getByTestId('site-timezone')).toHaveText(/\w+\/\w+|UTC/);
    await expect(page.getByTestId('kpi-revenue-value')).toBeVisible();
    // The previous 30 days lie before the demo's few backfilled days: no made-up growth figures.
    await expect(page.getByTestId('kpi-comparison')).toContainText('No change shown');
    await expect(page.getByTestId('kpi-revenue-change')).toHaveText(/no comparison/i);
    await expect(page.getByTestId('day-total-row')).toBeVisible();
    // The demo backfills a few days: older days of the 30 say so instead of showing zero sales.
    await expect(page.getByTestId('unsynced-days')).toContainText('have not been synced yet');
    const rows = page.getByTestId('site-days-table').locator('tbody tr');
    await expect(rows.first()).toHaveAttribute('data-synced', 'true');
    await expect(rows.last()).toHaveAttribute('data-synced', 'false');
    await expect(rows.last()).toContainText('Not synced yet');
    await expect(page.getByRole('heading', { name: 'Busiest hours' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download CSV', exact: true })).toHaveAttribute('href', /site=/);
    await shot(page, 'site');
    await page.setViewportSize({ width: 375, height: 800 });
    await shot(page, 'site-375');
    await page.getByRole('link', { name: '← Back to the overview' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  });
});
