import { expect, test } from './fixtures';

test('the app answers its health check', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.ok()).toBe(true);
  expect(await response.json()).toMatchObject({ ok: true, mode: 'demo' });
});

test('the home page loads in the browser', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Washboard/);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.screenshot({ path: 'tests/e2e/artifacts/home.png', fullPage: true });
});
