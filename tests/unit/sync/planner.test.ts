import { describe, expect, it } from 'vitest';
import { addDays, localDayRange, startOfLocalDay } from '@/lib/sonnys';
import { planSite, planSync, type PlanSite } from '@/lib/sync/planner';

const CHICAGO = 'America/Chicago';
// 2026-11-23 15:00 in Chicago (21:00 UTC).
const NOW = Date.UTC(2026, 10, 23, 21, 0, 0);
const site: PlanSite = { code: 'JOLIET', timezone: CHICAGO, rowsPerDay: 300 };
const base = { now: NOW, horizonDays: 180, backfillDays: 180 };

const endOf = (day: string) => startOfLocalDay(addDays(day, 1), CHICAGO) * 1000;
const DAY = 86_400_000;

/** Steady state under the scheduler: each day fetched a minute after it ended and after each recheck age it has reached. */
const settled = (day: string) => {
  const end = endOf(day);
  const reached = [0, 3, 7].filter((age) => end + age * DAY + 60_000 <= NOW);
  return end + reached.at(-1)! * DAY + 60_000;
};

function coveredThrough(lastDay: string, days: number, at: (day: string) => number) {
  const map = new Map<string, number>();
  for (let i = 0; i < days; i++) {
    const d = addDays(lastDay, -i);
    map.set(d, at(d));
  }
  return map;
}

describe('planSite', () => {
  it('fetches a short first backfill as one range that ends now', () => {
    const chunks = planSite(site, undefined, { ...base, backfillDays: 10 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ fromDay: '2026-11-14', toDay: '2026-11-23' });
    expect(chunks[0]!.startUnix).toBe(localDayRange('2026-11-14', '2026-11-14', CHICAGO).startDate);
    expect(chunks[0]!.endUnix).toBe(Math.floor(NOW / 1000));
    expect(chunks[0]!.estimatedPages).toBe(31); // 10 days × 300 rows / 100, plus the page that proves the end
  });

  it('covers six months without gaps or overlaps in ranges of at most 31 days, today and yesterday first, then the week', () => {
    const chunks = planSite(site, undefined, base);
    const sorted = [...chunks].sort((a, b) => (a.fromDay < b.fromDay ? -1 : 1));
    expect(sorted[0]!.fromDay).toBe(addDays('2026-11-23', -179));
    expect(sorted.at(-1)!.toDay).toBe('2026-11-23');
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.fromDay).toBe(addDays(sorted[i - 1]!.toDay, 1));
      expect(sorted[i]!.startUnix).toBe(sorted[i - 1]!.endUnix + 1);
    }
    for (const c of chunks) expect(c.endUnix - c.startUnix + 1).toBeLessThanOrEqual(31 * 86_400);
    // The trailing window and the rest of the first screen's week are ranges of their own, so a new
    // install shows recent days first (issue 15).
    expect(chunks.find((c) => c.toDay === '2026-11-23')).toMatchObject({ fromDay: '2026-11-22' });
    expect(chunks.find((c) => c.toDay === '2026-11-21')).toMatchObject({ fromDay: '2026-11-17' });
    expect(chunks).toHaveLength(2 + Math.ceil(173 / 31));
  });

  it('refetches only the trailing window when history is complete', () => {
    const coverage = coveredThrough('2026-11-21', 178, settled);
    const chunks = planSite(site, coverage, base);
    expect(chunks).toEqual([expect.objectContaining({ fromDay: '2026-11-22', toDay: '2026-11-23' })]);
  });

  it('refetches a day that was fetched before it ended, and a missing day', () => {
    const coverage = coveredThrough('2026-11-21', 178, settled);
    coverage.set('2026-11-19', endOf('2026-11-19') - 3_600_000); // fetched an hour before midnight
    coverage.delete('2026-11-10');
    const chunks = planSite(site, coverage, base);
    expect(chunks.map((c) => [c.fromDay, c.toDay])).toEqual([
      ['2026-11-10', '2026-11-10'],
      ['2026-11-19', '2026-11-19'],
      ['2026-11-22', '2026-11-23'],
    ]);
  });

  it('fetches a day again once it is 3 and 7 days old, for late uploads and voids, but never months of history', () => {
    // Every day fetched only a minute after it ended, as on an install from before rechecks.
    const coverage = coveredThrough('2026-11-21', 178, (d) => endOf(d) + 60_000);
    // Now (Nov 23, 15:00 Chicago) Nov 18 and 19 are 3-5 days past their end, Nov 14 and 15 are 7-9.
    expect(planSite(site, coverage, base).map((c) => [c.fromDay, c.toDay])).toEqual([
      ['2026-11-14', '2026-11-15'],
      ['2026-11-18', '2026-11-19'],
      ['2026-11-22', '2026-11-23'],
    ]);
    // Once rechecked, a day waits for its next age; after the last one it is settled for good.
    coverage.set('2026-11-19', endOf('2026-11-19') + 3 * DAY + 60_000);
    coverage.set('2026-11-18', endOf('2026-11-18') + 3 * DAY + 60_000);
    coverage.set('2026-11-15', endOf('2026-11-15') + 7 * DAY + 60_000);
    coverage.set('2026-11-14', endOf('2026-11-14') + 7 * DAY + 60_000);
    expect(planSite(site, coverage, base).map((c) => [c.fromDay, c.toDay])).toEqual([['2026-11-22', '2026-11-23']]);
    // A short backfill window does not stop rechecks of days fetched before, nor fetch older days for the first time.
    const short = coveredThrough('2026-11-21', 10, (d) => endOf(d) + 60_000);
    short.delete('2026-11-14');
    expect(planSite(site, short, { ...base, backfillDays: 3 }).map((c) => [c.fromDay, c.toDay])).toEqual([
      ['2026-11-15', '2026-11-15'],
      ['2026-11-18', '2026-11-19'],
      ['2026-11-22', '2026-11-23'],
    ]);
    // Rechecks can be set, or turned off.
    expect(planSite(site, coverage, { ...base, recheckAfterDays: [] }).map((c) => c.fromDay)).toEqual(['2026-11-22']);
    expect(planSite(site, coverage, { ...base, recheckAfterDays: [1] }).map((c) => [c.fromDay, c.toDay])).toEqual([
      ['2026-11-20', '2026-11-23'],
    ]);
  });

  it('fetches an explicit range whatever is covered, clamped to the horizon and today', () => {
    const coverage = coveredThrough('2026-11-21', 178, (d) => endOf(d) + 60_000);
    expect(planSite(site, coverage, { ...base, from: '2026-11-01', to: '2026-11-05' }).map((c) => [c.fromDay, c.toDay])).toEqual([
      ['2026-11-01', '2026-11-05'],
    ]);
    const clamped = planSite(site, coverage, { ...base, from: '2025-01-01', to: '2027-01-01' });
    expect(clamped.map((c) => c.fromDay).sort()[0]).toBe(addDays('2026-11-23', -179));
    expect(clamped.map((c) => c.toDay).sort().at(-1)).toBe('2026-11-23');
    expect(planSite(site, coverage, { ...base, from: '2026-12-01', to: '2026-12-05' })).toEqual([]);
  });

  it("uses each site's own today", () => {
    // 21:00 UTC on Nov 23 is already Nov 24 in Sydney.
    const chunks = planSite({ code: 'SYD', timezone: 'Australia/Sydney', rowsPerDay: null }, undefined, { ...base, backfillDays: 2 });
    expect(chunks).toEqual([expect.objectContaining({ fromDay: '2026-11-23', toDay: '2026-11-24', estimatedPages: 8 })]);
  });
});

describe('planSync', () => {
  it('orders every site’s ranges most recent first', () => {
    const chunks = planSync(
      [site, { code: 'ROMEOVILLE', timezone: CHICAGO, rowsPerDay: 200 }],
      new Map(),
      base,
    );
    expect(chunks.slice(0, 2).map((c) => [c.siteCode, c.toDay])).toEqual([
      ['JOLIET', '2026-11-23'],
      ['ROMEOVILLE', '2026-11-23'],
    ]);
    const toDays = chunks.map((c) => c.toDay);
    expect([...toDays].sort().reverse()).toEqual(toDays);
  });
});
