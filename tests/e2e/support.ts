import { expect, type APIRequestContext } from '@playwright/test';

/** The demo syncs at start-up (a 3-day backfill in this suite); wait until both databases are done. */
export async function waitForStartupSync(request: APIRequestContext) {
  await expect(async () => {
    const response = await request.get('/api/sync/status');
    const status = (await response.json()) as { databases: { running: unknown; lastSucceededAt: number | null }[] };
    expect(status.databases).toHaveLength(2);
    for (const d of status.databases) {
      expect(d.running).toBeNull();
      expect(d.lastSucceededAt).not.toBeNull();
    }
  }).toPass({ timeout: 150_000, intervals: [1000] });
}
