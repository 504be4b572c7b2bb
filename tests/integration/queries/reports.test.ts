import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { getSite } from '@/db/queries/sites';
import { getDataVersion } from '@/db/queries/statements';
import {
  getDataExtent,
  getOverviewKpis,
  getReportingTimeZone,
  listBusiestHours,
  listDailyRevenueBySite,
  listDailyTotals,
  listDayStatuses,
  listSiteTotals,
} from '@/db/queries/reports';
import { averageTicketCents } from '@/lib/reports/kpis';
import { addDays, dayEndMs, dayStartMs } from '@/lib/calendar';
import { DIALECTS } from '@/tests/support/postgres';
import { expectedTotals, inRange, SITES } from './support/fixture';
import { createFixtureOn, type DialectFixture } from './support/dialects';

/** Adds to one rollup's revenue through `sql` (a connection of the test's own: another writer). */
const bump = (sql: DialectFixture['db']['sql'], cents: number) =>
  sql.run("UPDATE daily_rollups SET revenue_cents = revenue_cents + ? WHERE database_key = 'icon' AND site_code = 'JOL' AND local_day = '2026-11-21'", [cents]);

describe.each(DIALECTS)('reports on %s', (dialect) => {
  let fixture: DialectFixture;

  beforeAll(async () => {
    // The data layer reads the process's database (getDb): point it at the fixture.
    fixture = await createFixtureOn(dialect, 'reports');
  });
  afterAll(async () => {
    await fixture.close();
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
      // A whole database and a site of another one: their union (issue #10), not their intersection.
      const union = await getOverviewKpis({
        scope: { from: FROM, to: TO, databaseKeys: ['icon'], sites: [{ databaseKey: 'washu', code: 'JOL' }] },
      });
      expect(union.current).toMatchObject(
        expectedTotals(rows.filter((r) => r.databaseKey === 'icon' || (r.databaseKey === 'washu' && r.siteCode === 'JOL'))),
      );
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
        expect(s.previous).toMatchObject(expectedTotals(mine(PREV_FROM, PREV_TO)));
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

    it('rank hours by completed transactions in local time, over complete days only', async () => {
      const scope = { from: FROM, to: TO, databaseKeys: ['washu'] };
      expect(await listBusiestHours({ scope, today: '2026-11-30' })).toMatchObject({ completeDays: 0 });
      // Every day complete at both WashU sites but the 20th at JOL (fetched before it ended).
      for (let d = FROM; d <= TO; d = addDays(d, 1)) for (const site of SITES.slice(0, 2)) await cover(site.databaseKey, site.code, d, 'complete');
      await cover('washu', 'JOL', '2026-11-20', 'partial');
      const { hours, completeDays } = await listBusiestHours({ scope, today: '2026-11-30' });
      expect(completeDays).toBe(29);
      expect(hours).toHaveLength(24);
      const completed = fixture.rows
        .filter(inRange(FROM, TO))
        .filter((r) => r.databaseKey === 'washu' && r.status === 'Completed' && r.localDay !== '2026-11-20');
      for (const h of hours) {
        const mine = completed.filter((r) => r.localHour === h.localHour);
        expect(h).toEqual({
          localHour: h.localHour,
          transactions: mine.length,
          revenueCents: mine.filter((r) => !r.isPlanRedemption).reduce((s, r) => s + r.totalCents, 0),
        });
      }
      expect(hours[3]).toEqual({ localHour: 3, transactions: 0, revenueCents: 0 });
      await clearCoverage();
    });
  });

  /** Writes a site-day's coverage: fetched after it ended, before it ended (at 3 PM local), or at `syncedAt`. */
  async function cover(databaseKey: string, code: string, day: string, how: 'complete' | 'partial' | number) {
    const site = SITES.find((s) => s.databaseKey === databaseKey && s.code === code)!;
    const end = dayEndMs(day, site.timeZone);
    const syncedAt = how === 'complete' ? end + 60_000 : how === 'partial' ? dayStartMs(day, site.timeZone) + 15 * 3_600_000 : how;
    await getDb().sql.run(
      `INSERT INTO site_coverage (database_key, site_code, local_day, synced_at, day_end_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (database_key, site_code, local_day) DO UPDATE SET synced_at = excluded.synced_at, day_end_at = excluded.day_end_at`,
      [databaseKey, code, day, syncedAt, end],
    );
  }
  async function coverRange(from: string, to: string, sites = SITES.filter((s) => !s.removed)) {
    for (let d = from; d <= to; d = addDays(d, 1)) for (const s of sites) await cover(s.databaseKey, s.code, d, 'complete');
  }
  async function clearCoverage() {
    await getDb().sql.run('DELETE FROM site_coverage');
  }

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
      const addRevenue = (sql: typeof fixture.db.sql, cents: number) =>
        sql.run("UPDATE daily_rollups SET revenue_cents = revenue_cents + ? WHERE database_key = 'washu' AND site_code = ? AND local_day = '2026-11-20'", [
          cents,
          SITES[0]!.code,
        ]);
      // The in-process sync writes on the shared connection...
      await addRevenue(getDb().sql, 1234);
      const afterOwn = await getOverviewKpis({ scope });
      expect(afterOwn.current.revenueCents).toBe(before.current.revenueCents + 1234);
      // ...a CLI sync (or, on Postgres, another instance) on a connection of its own.
      await addRevenue(fixture.db.sql, 766);
      const afterOther = await getOverviewKpis({ scope });
      expect(afterOther.current.revenueCents).toBe(before.current.revenueCents + 2000);
      // Leave the fixture as it was for the tests after this one.
      await addRevenue(fixture.db.sql, -2000);
      expect(await getOverviewKpis({ scope })).toEqual(before);
    });
  });

  describe('the data version', () => {
    it('moves when another connection commits, and only then', async () => {
      const before = await getDataVersion();
      expect(await getDataVersion()).toBe(before);
      await bump(fixture.db.sql, 1);
      const after = await getDataVersion();
      expect(after).not.toBe(before);
      await bump(fixture.db.sql, -1);
      expect(await getDataVersion()).not.toBe(after);
    });
  });

  describe('the comparison rule over coverage (issue #10)', () => {
    // Standing on 2026-11-25 at noon in Chicago: the range below is over everywhere.
    const now = Date.UTC(2026, 10, 25, 18);
    const scope = { from: '2026-11-11', to: '2026-11-20' };

    it('compares only when every day of both periods is complete at every active site, and says why not', async () => {
      await clearCoverage();
      expect((await getOverviewKpis({ scope, now })).comparison).toMatchObject({ comparable: false, reason: 'current-incomplete' });
      await coverRange('2026-11-11', '2026-11-20');
      expect((await getOverviewKpis({ scope, now })).comparison).toMatchObject({ comparable: false, reason: 'earlier-incomplete' });
      await coverRange('2026-11-01', '2026-11-10');
      await getDb().sql.run("DELETE FROM site_coverage WHERE database_key = 'icon' AND site_code = 'JOL' AND local_day = '2026-11-05'");
      expect((await getOverviewKpis({ scope, now })).comparison).toMatchObject({ comparable: false, reason: 'earlier-incomplete' });
      // A scope without that site compares; the site's own row says why it does not.
      expect((await getOverviewKpis({ scope: { ...scope, databaseKeys: ['washu'] }, now })).comparison.comparable).toBe(true);
      const rows = await listSiteTotals({ scope, now });
      expect(rows.find((r) => r.databaseKey === 'icon' && r.code === 'JOL')?.comparability).toMatchObject({ comparable: false, reason: 'earlier-incomplete' });
      expect(rows.find((r) => r.databaseKey === 'washu' && r.code === 'JOL')?.comparability.comparable).toBe(true);
      // A day fetched before it ended is partial: no comparison either.
      await cover('icon', 'JOL', '2026-11-05', 'partial');
      expect((await getOverviewKpis({ scope, now })).comparison.comparable).toBe(false);
      await cover('icon', 'JOL', '2026-11-05', 'complete');
      expect((await getOverviewKpis({ scope, now })).comparison).toMatchObject({ comparable: true, reason: null, asOfMs: null });
      // The closed site (not listed by Sonny's any more) never blocks the scope.
      expect((await getOverviewKpis({ scope, now })).siteCount).toBe(3);
    });

    it('sees a sync in the middle of either period', async () => {
      const { sql } = fixture.db;
      const run = (await sql.get<{ id: number }>(
        "INSERT INTO sync_runs (database_key, trigger, status, started_at, heartbeat_at) VALUES ('washu', 'manual', 'running', 1, 1) RETURNING id",
      ))!.id;
      await sql.run('INSERT INTO sync_leases (database_key, run_id, owner, expires_at) VALUES (?, ?, ?, ?)', ['washu', run, 'test', now + 60_000]);
      const chunk = (await sql.get<{ id: number }>(
        `INSERT INTO sync_chunks (run_id, database_key, site_code, start_unix, end_unix, from_day, to_day, ordinal, status, first_fetched_at)
         VALUES (?, 'washu', 'PLN', 0, 0, '2026-11-03', '2026-11-04', 0, 'pending', ?) RETURNING id`,
        [run, now - 1000],
      ))!.id;
      expect((await getOverviewKpis({ scope, now })).comparison).toMatchObject({ comparable: false, reason: 'syncing' });
      const states = await listDayStatuses({ scope: { from: '2026-11-01', to: '2026-11-05' }, today: '2026-11-25' });
      expect(states.days.map((d) => d.state)).toEqual(['complete', 'complete', 'syncing', 'syncing', 'complete']);
      // Once the run is over (its lease gone), the same chunk no longer counts as syncing.
      await sql.run('DELETE FROM sync_leases');
      expect((await getOverviewKpis({ scope, now })).comparison.comparable).toBe(true);
      await sql.run('DELETE FROM sync_chunks WHERE id = ?', [chunk]);
    });

    it('compares a day still going on like for like: the earlier day up to the same local time', async () => {
      // Today is 2026-11-22 (the fixture's last day); WashU's sites were fetched at 13:00 Chicago time.
      await clearCoverage();
      const washu = SITES.filter((s) => s.databaseKey === 'washu');
      await coverRange('2026-11-08', '2026-11-21', washu);
      const fetchedAt = dayStartMs('2026-11-22', 'America/Chicago') + 13 * 3_600_000;
      for (const s of washu) await cover(s.databaseKey, s.code, '2026-11-22', fetchedAt);
      const todayScope = { from: '2026-11-16', to: '2026-11-22', databaseKeys: ['washu'] };
      const at = fetchedAt + 20 * 60_000;
      const kpis = await getOverviewKpis({ scope: todayScope, now: at });
      expect(kpis.comparison).toMatchObject({ comparable: true, asOfMs: fetchedAt });
      expect(kpis.previousRange).toEqual({ from: '2026-11-09', to: '2026-11-15' });
      const rows = fixture.rows.filter((r) => r.databaseKey === 'washu');
      const expected = expectedTotals([
        ...rows.filter(inRange('2026-11-09', '2026-11-14')),
        // The earlier period's last day counts up to 13:00, as today's figures do.
        ...rows.filter((r) => r.localDay === '2026-11-15' && r.occurredUnix * 1000 < dayStartMs('2026-11-15', 'America/Chicago') + 13 * 3_600_000),
      ]);
      expect(kpis.previous).toMatchObject(expected);
      expect(kpis.current).toMatchObject(expectedTotals(rows.filter(inRange('2026-11-16', '2026-11-22'))));
      // Yesterday still partial (fetched before it ended): no comparison, whatever today holds.
      await cover('washu', 'JOL', '2026-11-21', 'partial');
      expect((await getOverviewKpis({ scope: todayScope, now: at })).comparison).toMatchObject({ comparable: false, reason: 'current-incomplete' });
      // A range in the future says so.
      expect((await getOverviewKpis({ scope: { from: '2027-01-01', to: '2027-01-07' }, now: at })).comparison.reason).toBe('future');
      await clearCoverage();
    });
  });

  describe('day states', () => {
    it('mark each day complete, partial, not synced or in the future across the sites in scope', async () => {
      await clearCoverage();
      await cover('washu', 'JOL', '2026-11-19', 'complete');
      await cover('washu', 'PLN', '2026-11-19', 'complete');
      await cover('washu', 'JOL', '2026-11-20', 'complete');
      await cover('washu', 'PLN', '2026-11-20', 'partial');
      await cover('washu', 'JOL', '2026-11-21', 'complete');
      const range = { from: '2026-11-18', to: '2026-11-23' };
      const washu = await listDayStatuses({ scope: { ...range, databaseKeys: ['washu'] }, today: '2026-11-22' });
      // The 18th has rows but no finished fetch: figures, but partial. The 21st lacks PLN: partial.
      expect(washu.days.map((d) => d.state)).toEqual(['partial', 'complete', 'partial', 'partial', 'partial', 'future']);
      expect(washu.counts).toEqual({ complete: 1, partial: 4, syncing: 0, unsynced: 0, future: 1 });
      // One site alone; the same code in the other database is another site.
      const jol = await listDayStatuses({ scope: { ...range, sites: [{ databaseKey: 'washu', code: 'JOL' }] }, today: '2026-11-22' });
      expect(jol.days.map((d) => d.state)).toEqual(['partial', 'complete', 'complete', 'complete', 'partial', 'future']);
      const empty = await listDayStatuses({ scope: { from: '2026-12-01', to: '2026-12-02', sites: [{ databaseKey: 'icon', code: 'JOL' }] }, today: '2026-12-05' });
      expect(empty.days.map((d) => d.state)).toEqual(['unsynced', 'unsynced']);
      await clearCoverage();
    });
  });
});

// A write in flight is visible to readers on Postgres only (its sequence moves before the commit),
// so this case has no SQLite pass.
describe('the data version on postgres', () => {
  let fixture: DialectFixture;
  beforeAll(async () => {
    fixture = await createFixtureOn('postgres', 'reports_inflight');
  });
  afterAll(async () => {
    await fixture.close();
  });
  const scope = { from: '2026-11-01', to: '2026-11-22' };

  it('keeps no result read while a write is in flight, and moves again when it commits', async () => {
    const db = fixture.db;
    if (db.kind !== 'postgres') throw new Error('This case needs the Postgres copy.');
    const before = await getOverviewKpis({ scope });
    const writer = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query("UPDATE daily_rollups SET revenue_cents = revenue_cents + 500 WHERE database_key = 'icon' AND site_code = 'JOL' AND local_day = '2026-11-21'");
      // The sequence moved before the commit: the version says a write is in flight...
      const inFlight = await getDataVersion();
      expect(inFlight).toMatch(/\+$/);
      // ...and what is read now (the old figures) is not kept under it.
      expect((await getOverviewKpis({ scope })).current.revenueCents).toBe(before.current.revenueCents);
      await writer.query('COMMIT');
      const committed = await getDataVersion();
      expect(committed).not.toBe(inFlight);
      expect((await getOverviewKpis({ scope })).current.revenueCents).toBe(before.current.revenueCents + 500);
    } finally {
      writer.release();
    }
    await bump(db.sql, -500);
    expect(await getOverviewKpis({ scope })).toEqual(before);
  });
});
