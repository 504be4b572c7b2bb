import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFreshness } from '@/db/queries/freshness';
import { dayEndMs } from '@/lib/calendar';
import { DIALECTS } from '@/tests/support/postgres';
import { createFixtureOn, type DialectFixture } from './support/dialects';

describe.each(DIALECTS)('freshness on %s', (dialect) => {
  let fixture: DialectFixture;

  beforeAll(async () => {
    fixture = await createFixtureOn(dialect, 'freshness');
  });
  afterAll(async () => {
    await fixture.close();
  });

  const run = (databaseKey: string, status: string, startedAt: number, finishedAt: number | null) =>
    fixture.db.sql.run(
      `INSERT INTO sync_runs (database_key, trigger, status, started_at, finished_at, heartbeat_at) VALUES (?, 'manual', ?, ?, ?, ?)`,
      [databaseKey, status, startedAt, finishedAt, finishedAt ?? startedAt],
    );
  const cover = (databaseKey: string, siteCode: string, localDay: string, syncedAt: number) =>
    fixture.db.sql.run(
      `INSERT INTO site_coverage (database_key, site_code, local_day, synced_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET synced_at = excluded.synced_at`,
      [databaseKey, siteCode, localDay, syncedAt],
    );

  it('is unknown before any sync', async () => {
    expect(await listFreshness()).toEqual([
      { databaseKey: 'icon', databaseName: 'Icon', lastSyncedAt: null, completeThrough: null, kpiCompleteThrough: null, syncing: false },
      { databaseKey: 'washu', databaseName: 'WashU', lastSyncedAt: null, completeThrough: null, kpiCompleteThrough: null, syncing: false },
    ]);
  });

  it('reports the last successful run and the day every current site has in full', async () => {
    const chicagoEnd21 = dayEndMs('2026-11-21', 'America/Chicago'); // 2026-11-22 06:00 UTC
    await run('washu', 'succeeded', chicagoEnd21 + 1000, chicagoEnd21 + 60_000);
    await run('washu', 'failed', chicagoEnd21 + 120_000, chicagoEnd21 + 180_000); // later, but failed
    await run('washu', 'running', chicagoEnd21 + 200_000, null);

    // JOL: the 22nd is covered but fetched before it ended (partial); the 21st was fetched after its end.
    await cover('washu', 'JOL', '2026-11-20', chicagoEnd21);
    await cover('washu', 'JOL', '2026-11-21', chicagoEnd21 + 60_000);
    await cover('washu', 'JOL', '2026-11-22', chicagoEnd21 + 60_000);
    // PLN: the 21st was fetched one second before it ended in Chicago, so PLN is complete through the 20th.
    await cover('washu', 'PLN', '2026-11-20', chicagoEnd21 - 1000);
    await cover('washu', 'PLN', '2026-11-21', chicagoEnd21 - 1000);

    // Icon's JOL is in New York: the 21st ended there an hour before it did in Chicago.
    const newYorkEnd21 = dayEndMs('2026-11-21', 'America/New_York');
    expect(chicagoEnd21 - newYorkEnd21).toBe(3600_000);
    await cover('icon', 'JOL', '2026-11-21', newYorkEnd21 + 1000);
    // The removed site never counts, even though its coverage is old.
    await cover('icon', 'OLD', '2026-10-05', newYorkEnd21);

    const freshness = await listFreshness();
    expect(freshness).toEqual([
      { databaseKey: 'icon', databaseName: 'Icon', lastSyncedAt: null, completeThrough: '2026-11-21', kpiCompleteThrough: null, syncing: false },
      { databaseKey: 'washu', databaseName: 'WashU', lastSyncedAt: chicagoEnd21 + 60_000, completeThrough: '2026-11-20', kpiCompleteThrough: null, syncing: false },
    ]);
    expect(await listFreshness({ databaseKeys: ['washu'] })).toHaveLength(1);
  });

  it('is not complete while any current site has no complete day', async () => {
    await fixture.db.sql.run("DELETE FROM site_coverage WHERE database_key = 'washu' AND site_code = 'PLN'");
    const [, washu] = await listFreshness();
    expect(washu).toMatchObject({ databaseKey: 'washu', completeThrough: null });
  });
});
