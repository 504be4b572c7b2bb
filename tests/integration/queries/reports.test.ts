import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db';
import { createIngestor } from '@/lib/sync/ingest';
import { getSite } from '@/db/queries/sites';
import {
  getDataExtent,
  getOverviewKpis,
  getReportingTimeZone,
  listBusiestHours,
  listDailyRevenueBySite,
  listDailyTotals,
  listSiteTotals,
  listSyncedDays,
} from '@/db/queries/reports';
import { averageTicketCents } from '@/lib/reports/kpis';
import { addDays } from '@/lib/reports/days';
import { createFixture, expectedTotals, inRange, makeRow, SITES, type Fixture } from './support/fixture';

let fixture: Fixture;

beforeAll(() => {
  fixture = createFixture();
  // The data layer reads the process's configured database (getDb): point it at the fixture.
  closeDb();
  process.env.DATABASE_URL = fixture.file;
});
afterAll(() => {
  closeDb();
  fixture.close();
});

const FROM = '2026-10-24';
const TO = '2026-11-22';
const PREV_FROM = '2026-09-24';
const PREV_TO = '2026-10-23';

describe('overview KPIs', () => {
  it('match FACTS §0 figures for the range and the previous period of the same length', async () => {
    const kpis = await getOverviewKpis({ scope: { from: FROM, to: TO } });
    const current = expectedTotals(fixture.rows.filter(inRange(FROM, TO)));
    const previous = expectedTotals(fixture.rows.filter(inRange(PREV_FROM, PREV_TO)));
    expect(kpis.previousRange).toEqual({ from: PREV_FROM, to: PREV_TO });
    expect(kpis.current).toMatchObject(current);
    expect(kpis.previous).toMatchObject(previous);
    expect(current.transactions).toBeGreaterThan(50);
    expect(averageTicketCents(kpis.current)).toBe(Math.sign(current.revenueCents) * Math.round(Math.abs(current.revenueCents) / current.salesCount));
  });

  it('narrow to databases and to sites, telling apart sites that share a code', async () => {
    const rows = fixture.rows.filter(inRange(FROM, TO));
    const icon = await getOverviewKpis({ scope: { from: FROM, to: TO, databaseKeys: ['icon'] } });
    expect(icon.current).toMatchObject(expectedTotals(rows.filter((r) => r.databaseKey === 'icon')));
    const washuJol = await getOverviewKpis({ scope: { from: FROM, to: TO, sites: [{ databaseKey: 'washu', code: 'JOL' }] } });
    expect(washuJol.current).toMatchObject(
      expectedTotals(rows.filter((r) => r.databaseKey === 'washu' && r.siteCode === 'JOL')),
    );
    const none = await getOverviewKpis({
      scope: { from: FROM, to: TO, databaseKeys: ['icon'], sites: [{ databaseKey: 'washu', code: 'JOL' }] },
    });
    expect(none.current).toMatchObject({ transactions: 0, revenueCents: 0 });
  });

  it('are zero for an empty range', async () => {
    const kpis = await getOverviewKpis({ scope: { from: '2030-01-01', to: '2030-01-31' } });
    expect(kpis.current).toMatchObject({ transactions: 0, revenueCents: 0, salesCount: 0 });
    expect(averageTicketCents(kpis.current)).toBeNull();
  });
});

describe('per-site figures', () => {
  it('total each site with its names and previous-period revenue', async () => {
    const sites = await listSiteTotals({ scope: { from: FROM, to: TO } });
    // Display order: database name (Icon before WashU), then code; the closed site has no rows in range.
    expect(sites.map((s) => `${s.databaseName}/${s.code}`)).toEqual(['Icon/JOL', 'WashU/JOL', 'WashU/PLN']);
    for (const s of sites) {
      const mine = (from: string, to: string) =>
        fixture.rows.filter(inRange(from, to)).filter((r) => r.databaseKey === s.databaseKey && r.siteCode === s.code);
      expect(s).toMatchObject(expectedTotals(mine(FROM, TO)));
      expect(s.previousRevenueCents).toBe(expectedTotals(mine(PREV_FROM, PREV_TO)).revenueCents);
    }
    expect(sites.find((s) => s.code === 'PLN')?.siteName).toBe('=Plainfield, "North"');
    const older = await listSiteTotals({ scope: { from: '2026-09-20', to: '2026-10-05' } });
    expect(older.find((s) => s.code === 'OLD')).toMatchObject({ removed: true, siteName: 'Closed site' });
  });

  it('give the daily revenue series per site', async () => {
    const series = await listDailyRevenueBySite({ scope: { from: '2026-11-08', to: '2026-11-12', databaseKeys: ['washu'] } });
    const expected = new Map<string, number>();
    for (const r of fixture.rows.filter(inRange('2026-11-08', '2026-11-12')).filter((r) => r.databaseKey === 'washu')) {
      const key = `${r.localDay}/${r.siteCode}`;
      expected.set(key, (expected.get(key) ?? 0) + (r.status === 'Completed' && !r.isPlanRedemption ? r.totalCents : 0));
    }
    const flat = new Map(series.flatMap((s) => Object.entries(s.revenueByDay).map(([day, cents]) => [`${day}/${s.siteCode}`, cents])));
    expect(flat).toEqual(expected);
    expect(series.find((s) => s.siteCode === 'PLN')?.revenueByDay['2026-11-10']).toBeUndefined();
    expect(series.every((s) => s.databaseKey === 'washu')).toBe(true);
  });

  it('sum days over the scope', async () => {
    const days = await listDailyTotals({ scope: { from: FROM, to: TO, sites: [{ databaseKey: 'icon', code: 'JOL' }] } });
    expect(days).toHaveLength(30);
    for (const d of days) {
      expect(d).toMatchObject(
        expectedTotals(fixture.rows.filter((r) => r.databaseKey === 'icon' && r.siteCode === 'JOL' && r.localDay === d.localDay)),
      );
    }
  });

  it('rank hours by completed transactions in local time', async () => {
    const hours = await listBusiestHours({ scope: { from: FROM, to: TO, databaseKeys: ['washu'] } });
    expect(hours).toHaveLength(24);
    const completed = fixture.rows.filter(inRange(FROM, TO)).filter((r) => r.databaseKey === 'washu' && r.status === 'Completed');
    for (const h of hours) {
      const mine = completed.filter((r) => r.localHour === h.localHour);
      expect(h).toEqual({
        localHour: h.localHour,
        transactions: mine.length,
        revenueCents: mine.filter((r) => !r.isPlanRedemption).reduce((s, r) => s + r.totalCents, 0),
      });
    }
    expect(hours[3]).toEqual({ localHour: 3, transactions: 0, revenueCents: 0 });
  });
});

describe('site and catalog', () => {
  it('finds a site with its zone, the reporting zone and the data extent', async () => {
    expect(await getSite({ databaseKey: 'icon', code: 'JOL' })).toMatchObject({
      databaseName: 'Icon',
      name: 'Jolly Icon',
      effectiveTimezone: 'America/New_York',
      removedAt: null,
    });
    expect(await getSite({ databaseKey: 'icon', code: 'PLN' })).toBeNull();
    expect(await getReportingTimeZone()).toBe('America/Chicago');
    expect(await getDataExtent()).toEqual({ from: '2026-09-20', to: '2026-11-22' });
  });
});

describe('result reuse', () => {
  it('serves repeated reads until a write on this or another connection', async () => {
    const scope = { from: '2026-11-01', to: '2026-11-22' };
    const before = await getOverviewKpis({ scope });
    expect(await getOverviewKpis({ scope })).toEqual(before);
    // The in-process sync writes on the shared connection...
    createIngestor(getDb().sqlite).upsert('washu', [makeRow(SITES[0]!, '2026-11-20', 10, 0, { transId: 'reuse-1', totalCents: 1234 })]);
    const afterOwn = await getOverviewKpis({ scope });
    expect(afterOwn.current.revenueCents).toBe(before.current.revenueCents + 1234);
    // ...a CLI sync on a connection of its own.
    createIngestor(fixture.db.sqlite).upsert('washu', [makeRow(SITES[0]!, '2026-11-20', 11, 0, { transId: 'reuse-2', totalCents: 766 })]);
    const afterOther = await getOverviewKpis({ scope });
    expect(afterOther.current.revenueCents).toBe(before.current.revenueCents + 2000);
  });
});

describe('coverage of the range and of the previous period', () => {
  it('counts the days synced for every site, and compares only with a fully synced previous period', async () => {
    const sqlite = getDb().sqlite;
    const cover = sqlite.prepare('INSERT OR REPLACE INTO site_coverage (database_key, site_code, local_day, synced_at) VALUES (?, ?, ?, ?)');
    const coverAll = (from: string, to: string) => {
      for (let d = from; d <= to; d = addDays(d, 1)) for (const s of SITES) cover.run(s.databaseKey, s.code, d, 1);
    };
    const scope = { from: '2026-11-11', to: '2026-11-20' };
    // Nothing synced yet.
    expect(await getOverviewKpis({ scope })).toMatchObject({ syncedDays: 0, comparable: false });
    coverAll('2026-11-11', '2026-11-20');
    expect(await getOverviewKpis({ scope })).toMatchObject({ syncedDays: 10, comparable: false });
    // The previous 10 days with one site-day missing: still no comparison.
    coverAll('2026-11-01', '2026-11-10');
    sqlite.prepare("DELETE FROM site_coverage WHERE database_key = 'icon' AND site_code = 'JOL' AND local_day = '2026-11-05'").run();
    expect(await getOverviewKpis({ scope })).toMatchObject({ syncedDays: 10, comparable: false });
    // ...but a scope without that site compares.
    expect(await getOverviewKpis({ scope: { ...scope, databaseKeys: ['washu'] } })).toMatchObject({ syncedDays: 10, comparable: true });
    cover.run('icon', 'JOL', '2026-11-05', 1);
    expect(await getOverviewKpis({ scope })).toMatchObject({ syncedDays: 10, comparable: true });
    // A day one site lacks is not synced for every site.
    sqlite.prepare("DELETE FROM site_coverage WHERE database_key = 'washu' AND site_code = 'JOL' AND local_day = '2026-11-15'").run();
    expect(await getOverviewKpis({ scope })).toMatchObject({ syncedDays: 9, comparable: true });
    sqlite.prepare('DELETE FROM site_coverage').run();
  });
});

describe('synced days', () => {
  it('are the days a sync fetched for the scope, so unfetched days are not taken for zero', async () => {
    const cover = fixture.db.sqlite.prepare('INSERT OR REPLACE INTO site_coverage (database_key, site_code, local_day, synced_at) VALUES (?, ?, ?, ?)');
    cover.run('washu', 'JOL', '2026-11-20', 1);
    cover.run('washu', 'JOL', '2026-11-21', 1);
    cover.run('icon', 'JOL', '2026-11-19', 1);
    cover.run('washu', 'JOL', '2026-11-25', 1);
    const range = { from: '2026-11-18', to: '2026-11-22' };
    expect(await listSyncedDays({ scope: { ...range, sites: [{ databaseKey: 'washu', code: 'JOL' }] } })).toEqual(['2026-11-20', '2026-11-21']);
    // A site of the same code in the other database is another site.
    expect(await listSyncedDays({ scope: { ...range, sites: [{ databaseKey: 'icon', code: 'JOL' }] } })).toEqual(['2026-11-19']);
    expect(await listSyncedDays({ scope: { ...range, databaseKeys: ['washu'] } })).toEqual(['2026-11-20', '2026-11-21']);
    expect(await listSyncedDays({ scope: range })).toEqual(['2026-11-19', '2026-11-20', '2026-11-21']);
    expect(await listSyncedDays({ scope: { from: '2026-10-01', to: '2026-10-31', sites: [{ databaseKey: 'washu', code: 'JOL' }] } })).toEqual([]);
  });
});
