import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toLocalDate } from '@/lib/calendar';
import { applySiteTimezones } from '@/lib/sync/sites';
import { DIALECTS } from '../../support/postgres';
import { startHarness, type DialectHarness as Harness } from './helpers';

// Noon in Chicago (08:00 in Honolulu) on a Tuesday.
const T0 = Date.parse('2026-03-10T18:00:00Z');
const HONOLULU = 'Pacific/Honolulu';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rollups = (harness: Harness, site: string) =>
  harness.db.sql.all<{ day: string; transactions: number; revenueCents: number; voided: number }>(
    `SELECT local_day AS day, transactions, revenue_cents AS "revenueCents", voided FROM daily_rollups WHERE database_key = 'icon' AND site_code = ? ORDER BY local_day`,
    [site],
  );

describe.each(DIALECTS)('a site moved to another time zone (SONNYS_<KEY>_SITE_TIMEZONES) on %s', (dialect) => {
  it('gets its stored days recomputed exactly, keeps what is complete, and syncs the rest in the new zone', async () => {
    h = await startHarness({ dialect, sim: { clock: { start: T0, frozen: true } }, sync: { backfillDays: 5 } });
    await Promise.all((await h.runtime.manager.triggerAll('cli')).map((r) => r.done));
    const before = await rollups(h, 'KAPOLEI');
    expect(before.length).toBeGreaterThanOrEqual(5);

    const moved = await applySiteTimezones({ store: h.db.syncStore, databaseKey: 'icon', defaultTimezone: 'America/Chicago', siteTimezones: { KAPOLEI: HONOLULU }, now: T0 });
    expect(moved).toEqual(['KAPOLEI']);
    expect(await h.db.sql.get("SELECT timezone_setting, effective_timezone FROM sites WHERE database_key = 'icon' AND code = 'KAPOLEI'")).toEqual({
      timezone_setting: HONOLULU,
      effective_timezone: HONOLULU,
    });
    // Applying the same settings again moves nothing.
    expect(await applySiteTimezones({ store: h.db.syncStore, databaseKey: 'icon', defaultTimezone: 'America/Chicago', siteTimezones: { KAPOLEI: HONOLULU } })).toEqual([]);

    // Every stored row is on its Honolulu day, and the rollups equal a rebuild from the rows.
    const wrong = await h.db.sql.all<{ occurred_unix: number; local_day: string }>(
      "SELECT trans_id, occurred_unix, local_day FROM transactions WHERE database_key = 'icon' AND site_code = 'KAPOLEI'",
    );
    for (const r of wrong) expect(r.local_day).toBe(toLocalDate(r.occurred_unix * 1000, HONOLULU));
    const after = await rollups(h, 'KAPOLEI');
    expect(wrong.length).toBeGreaterThan(100);
    await h.db.ingestor.recompute('icon', 'KAPOLEI', after.map((r) => r.day));
    expect(await rollups(h, 'KAPOLEI')).toEqual(after);
    expect(after.reduce((n, r) => n + r.transactions + r.voided, 0)).toBe(before.reduce((n, r) => n + r.transactions + r.voided, 0));

    // Coverage carried over: a Honolulu day counts only where the Chicago days under it were fetched.
    // Honolulu runs 4 hours behind: its day before the window began overlaps the first fetched
    // Chicago day and the unfetched one before it, so it is not covered; the first whole one is.
    const today = toLocalDate(T0, HONOLULU);
    const covered = (
      await h.db.sql.all<{ day: string }>("SELECT local_day AS day FROM site_coverage WHERE database_key = 'icon' AND site_code = 'KAPOLEI' ORDER BY local_day")
    ).map((r) => r.day);
    const firstFetched = addDays(toLocalDate(T0, 'America/Chicago'), -4);
    expect(covered[0]).toBe(firstFetched);
    expect(covered).not.toContain(addDays(firstFetched, -1));
    expect(covered).toContain(addDays(today, -1));

    // The next sync plans in Honolulu days and the figures equal the truth in Honolulu time.
    await (await h.runtime.manager.trigger('icon', 'cli', { from: addDays(today, -3), to: today })).done;
    for (let i = 0; i < 4; i++) {
      const day = addDays(today, -i);
      const t = h.sim.truth.day({ database: 'icon', site: 'KAPOLEI', day, timezone: HONOLULU });
      const stored = (await rollups(h, 'KAPOLEI')).find((r) => r.day === day);
      expect({ day, transactions: stored?.transactions ?? 0, revenueCents: stored?.revenueCents ?? 0 }).toEqual({
        day,
        transactions: t.completed,
        revenueCents: t.revenueCents,
      });
    }
  });
});
