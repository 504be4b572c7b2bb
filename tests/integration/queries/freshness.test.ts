import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '@/db';
import { listFreshness } from '@/db/queries/freshness';
import { dayEndMs } from '@/lib/calendar';
import { createFixture, type Fixture } from './support/fixture';

let fixture: Fixture;

beforeAll(() => {
  fixture = createFixture();
  closeDb();
  process.env.DATABASE_URL = fixture.file;
});
afterAll(() => {
  closeDb();
  fixture.close();
});

const run = (databaseKey: string, status: string, startedAt: number, finishedAt: number | null) =>
  fixture.db.sqlite
    .prepare(
      `INSERT INTO sync_runs (database_key, trigger, status, started_at, finished_at, heartbeat_at) VALUES (?, 'manual', ?, ?, ?, ?)`,
    )
    .run(databaseKey, status, startedAt, finishedAt, finishedAt ?? startedAt);
const cover = (databaseKey: string, siteCode: string, localDay: string, syncedAt: number) =>
  fixture.db.sqlite
    .prepare('INSERT OR REPLACE INTO site_coverage (database_key, site_code, local_day, synced_at) VALUES (?, ?, ?, ?)')
    .run(databaseKey, siteCode, localDay, syncedAt);

describe('freshness', () => {
  it('is unknown before any sync', async () => {
    expect(await listFreshness()).toEqual([
      { databaseKey: 'icon', databaseName: 'Icon', lastSyncedAt: null, completeThrough: null, kpiCompleteThrough: null, syncing: false },
      { databaseKey: 'washu', databaseName: 'WashU', lastSyncedAt: null, completeThrough: null, kpiCompleteThrough: null, syncing: false },
    ]);
  });

  it('reports the last successful run and the day every current site has in full', async () => {
    const chicagoEnd21 = dayEndMs('2026-11-21', 'America/Chicago'); // 2026-11-22 06:00 UTC
    run('washu', 'succeeded', chicagoEnd21 + 1000, chicagoEnd21 + 60_000);
    run('washu', 'failed', chicagoEnd21 + 120_000, chicagoEnd21 + 180_000); // later, but failed
    run('washu', 'running', chicagoEnd21 + 200_000, null);

    // JOL: the 22nd is covered but fetched before it ended (partial); the 21st was fetched after its end.
    cover('washu', 'JOL', '2026-11-20', chicagoEnd21);
    cover('washu', 'JOL', '2026-11-21', chicagoEnd21 + 60_000);
    cover('washu', 'JOL', '2026-11-22', chicagoEnd21 + 60_000);
    // PLN: the 21st was fetched one second before it ended in Chicago, so PLN is complete through the 20th.
    cover('washu', 'PLN', '2026-11-20', chicagoEnd21 - 1000);
    cover('washu', 'PLN', '2026-11-21', chicagoEnd21 - 1000);

    // Icon's JOL is in New York: the 21st ended there an hour before it did in Chicago.
    const newYorkEnd21 = dayEndMs('2026-11-21', 'America/New_York');
    expect(chicagoEnd21 - newYorkEnd21).toBe(3600_000);
    cover('icon', 'JOL', '2026-11-21', newYorkEnd21 + 1000);
    // The removed site never counts, even though its coverage is old.
    cover('icon', 'OLD', '2026-10-05', newYorkEnd21);

    const freshness = await listFreshness();
    expect(freshness).toEqual([
      { databaseKey: 'icon', databaseName: 'Icon', lastSyncedAt: null, completeThrough: '2026-11-21', kpiCompleteThrough: null, syncing: false },
      { databaseKey: 'washu', databaseName: 'WashU', lastSyncedAt: chicagoEnd21 + 60_000, completeThrough: '2026-11-20', kpiCompleteThrough: null, syncing: false },
    ]);
    expect(await listFreshness({ databaseKeys: ['washu'] })).toHaveLength(1);
  });

  it('is not complete while any current site has no complete day', async () => {
    fixture.db.sqlite.prepare("DELETE FROM site_coverage WHERE database_key = 'washu' AND site_code = 'PLN'").run();
    const [, washu] = await listFreshness();
    expect(washu).toMatchObject({ databaseKey: 'washu', completeThrough: null });
  });
});
