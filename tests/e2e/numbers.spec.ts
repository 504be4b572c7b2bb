/**
 * The numbers a manager reads are the simulator's truth (FACTS §0 definitions), and the CSV they
 * download adds up to the page. The app's demo simulator and this test's simulator share the seed
 * and the clock, so they hold the same data; the day checked is two days back in Chicago, over
 * everywhere, with its late uploads and voids settled.
 */
import fs from 'node:fs';
import { expect, test } from './fixtures';
import { addDays, toLocalDate } from '@/lib/calendar';
import { startSimulator, type Simulator } from '@/lib/simulator';
import { waitForStartupSync } from './support';

let sim: Simulator;
test.beforeAll(async () => {
  sim = await startSimulator();
});
test.afterAll(async () => {
  await sim.close();
});

const day = addDays(toLocalDate(Date.now(), 'America/Chicago'), -2);

function truthFor(databases: string[]) {
  const total = { revenueCents: 0, transactions: 0, redemptions: 0, voided: 0, membershipSales: 0 };
  const perSite = new Map<string, { revenueCents: number; transactions: number }>();
  for (const database of sim.world.databases.filter((d) => databases.includes(d.key))) {
    for (const site of database.sites) {
      const t = sim.truth.day({ database: database.key, site: site.code, day });
      total.revenueCents += t.revenueCents;
      total.transactions += t.completed;
      total.redemptions += t.redemptions;
      total.voided += t.voided;
      total.membershipSales += t.membershipSales;
      perSite.set(`${database.key}-${site.code}`, { revenueCents: t.revenueCents, transactions: t.completed });
    }
  }
  return { total, perSite };
}

test('the overview shows the truth for every KPI and site, and its CSV adds up to the page', async ({ page }) => {
  test.setTimeout(240_000);
  await waitForStartupSync(page.request);
  await page.goto(`/?from=${day}&to=${day}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  const { total, perSite } = truthFor(['washu', 'icon']);
  expect(total.transactions).toBeGreaterThan(1000);
  const kpi = (id: string) => page.getByTestId(`kpi-${id}-value`).getAttribute('data-value').then(Number);
  expect(await kpi('revenue')).toBe(total.revenueCents);
  expect(await kpi('transactions')).toBe(total.transactions);
  expect(await kpi('redemptions')).toBe(total.redemptions);
  expect(await kpi('voided')).toBe(total.voided);
  expect(await kpi('membership-sales')).toBe(total.membershipSales);
  await expect(page.getByTestId('kpi-revenue-value')).toHaveText(`$${(total.revenueCents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);

  // Every site, with its database, in the table.
  for (const [key, t] of perSite) {
    const row = page.getByTestId(`site-row-${key}`);
    await expect(row).toBeVisible();
    expect(Number(await row.locator('[data-col="transactions"]').getAttribute('data-value'))).toBe(t.transactions);
    expect(Number(await row.locator('[data-col="revenue"]').getAttribute('data-value'))).toBe(t.revenueCents);
  }
  await expect(page.locator('.recharts-surface').first()).toBeVisible(); // the charts drew
  await page.screenshot({ path: 'tests/e2e/artifacts/overview-truth.png', fullPage: true });

  // The CSV download: the report's columns, and totals equal to the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe(`washboard-daily-${day}_${day}.csv`);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  const header = csv[0]!.split(',');
  expect(header.slice(0, 6)).toEqual(['date', 'database', 'site_code', 'site_name', 'transactions', 'revenue']);
  const rows = csv.slice(1).map((line) => line.split(','));
  expect(rows).toHaveLength(perSite.size);
  expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['WashU', 'Icon']));
  const sumTransactions = rows.reduce((n, r) => n + Number(r[4]), 0);
  const sumRevenueCents = rows.reduce((n, r) => n + Math.round(Number(r[5]) * 100), 0);
  expect(sumTransactions).toBe(await kpi('transactions'));
  expect(sumRevenueCents).toBe(await kpi('revenue'));
});

test('filtering to one database shows only its truth', async ({ page }) => {
  test.setTimeout(240_000);
  await waitForStartupSync(page.request);
  await page.goto(`/?from=${day}&to=${day}&db=icon`);
  const { total } = truthFor(['icon']);
  const kpi = (id: string) => page.getByTestId(`kpi-${id}-value`).getAttribute('data-value').then(Number);
  expect(await kpi('revenue')).toBe(total.revenueCents);
  expect(await kpi('transactions')).toBe(total.transactions);
  await expect(page.getByTestId('site-row-washu-JOLIET')).toHaveCount(0);
});

/** The car-wash KPIs of FACTS §0.1, summed over databases as ratios of sums (issue 11). */
function kpiTruthFor(databases: string[], at: number) {
  const sum = { carsWashed: 0, newMemberships: 0, eligibleWashes: 0, laborCostCents: 0, revenueCents: 0 };
  for (const database of sim.world.databases.filter((d) => databases.includes(d.key))) {
    for (const site of database.sites) {
      const t = sim.truth.day({ database: database.key, site: site.code, day, at });
      sum.carsWashed += t.carsWashed;
      sum.newMemberships += t.newMemberships;
      sum.eligibleWashes += t.eligibleWashes;
      sum.laborCostCents += t.laborCostCents;
      sum.revenueCents += t.revenueCents;
    }
  }
  return sum;
}
const roundCents = (n: number, d: number) => Math.round(n / d);

test("the overview's car-wash cards and the site page's chart show the truth (cars, members, conversion, labor)", async ({ page }) => {
  test.setTimeout(240_000);
  await waitForStartupSync(page.request);
  // Labor is read from the simulator as of the last sync (BackOffice may correct a shift later).
  const status = (await (await page.request.get('/api/sync/status')).json()) as { databases: { lastSucceededAt: number }[] };
  const at = Math.min(...status.databases.map((d) => d.lastSucceededAt));
  const t = kpiTruthFor(['washu', 'icon'], at);
  expect(t.carsWashed).toBeGreaterThan(500);
  await page.goto(`/?from=${day}&to=${day}`);
  const kpi = (id: string) => page.getByTestId(`kpi-${id}-value`).getAttribute('data-value').then(Number);
  expect(await kpi('cars-washed')).toBe(t.carsWashed);
  expect(await kpi('new-memberships')).toBe(t.newMemberships);
  expect(await kpi('conversion')).toBeCloseTo(t.newMemberships / t.eligibleWashes, 12);
  expect(await kpi('labor-cost-per-car')).toBe(roundCents(t.laborCostCents, t.carsWashed));
  expect(await kpi('revenue-per-car')).toBe(roundCents(t.revenueCents, t.carsWashed));
  // A whole day: no card is marked partial, and the freshness line says how far the car-wash data is in.
  await expect(page.locator('[data-testid^="kpi-"][data-partial="true"]')).toHaveCount(0);
  await expect(page.getByTestId('freshness-kpis-washu')).toContainText(/cars, members and labor complete through \w{3} \d+/);

  // The site page's day row and its chart of cars by kind.
  const joliet = sim.truth.day({ database: 'washu', site: 'JOLIET', day, at });
  await page.goto(`/sites/washu/JOLIET?preset=last7&cols=carsWashed,newMemberships,laborCost`);
  const row = page.getByTestId(`day-row-${day}`);
  expect(Number(await row.locator('[data-col="carsWashed"]').getAttribute('data-value'))).toBe(joliet.carsWashed);
  expect(Number(await row.locator('[data-col="newMemberships"]').getAttribute('data-value'))).toBe(joliet.newMemberships);
  expect(Number(await row.locator('[data-col="laborCost"]').getAttribute('data-value'))).toBe(joliet.laborCostCents);
  await expect(page.getByRole('heading', { name: 'Cars washed and conversion' })).toBeVisible();
  await expect(page.locator('.recharts-surface').nth(1)).toBeVisible();
  await page.screenshot({ path: 'tests/e2e/artifacts/site-kpis.png', fullPage: true });
});
