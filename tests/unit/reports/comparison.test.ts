import { describe, expect, it } from 'vitest';
import { dayState, dayStates, scopeComparability, siteComparability, type SiteCoverageSummary } from '@/lib/reports/comparison';
import { dayEndMs, dayStartMs } from '@/lib/calendar';
import { comparisonPeriod } from '@/lib/reports/range';

const CHICAGO = 'America/Chicago';
const site = (over: Partial<SiteCoverageSummary> = {}): SiteCoverageSummary => ({
  databaseKey: 'washu',
  code: 'JOL',
  timezone: CHICAGO,
  currentComplete: 0,
  earlierComplete: 0,
  lastDaySyncedAt: null,
  syncing: false,
  ...over,
});
const at = (day: string, hour: number, minute = 0, zone = CHICAGO) => dayStartMs(day, zone) + (hour * 60 + minute) * 60_000;

describe('the comparison rule for one site', () => {
  const current = { from: '2026-11-20', to: '2026-11-26' };
  const earlier = comparisonPeriod(current);

  it('compares complete periods, and only complete ones', () => {
    const now = at('2026-11-27', 9);
    expect(siteComparability(site({ currentComplete: 7, earlierComplete: 7 }), { current, earlier, now })).toEqual({ comparable: true, reason: null, cut: null });
    expect(siteComparability(site({ currentComplete: 6, earlierComplete: 7 }), { current, earlier, now })).toMatchObject({ comparable: false, reason: 'current-incomplete' });
    expect(siteComparability(site({ currentComplete: 7, earlierComplete: 6 }), { current, earlier, now })).toMatchObject({ comparable: false, reason: 'earlier-incomplete' });
    // Empty: nothing synced at all.
    expect(siteComparability(site(), { current, earlier, now })).toMatchObject({ comparable: false, reason: 'current-incomplete' });
    // A sync in the middle of either period wins over everything else it could say.
    expect(siteComparability(site({ currentComplete: 7, earlierComplete: 7, syncing: true }), { current, earlier, now })).toMatchObject({ reason: 'syncing' });
  });

  it('compares a day still going on with the same local time of the earlier period’s last day', () => {
    // 06:47 in Chicago on the range's last day; that day was fetched at 06:40.
    const now = at('2026-11-26', 6, 47);
    const fetched = at('2026-11-26', 6, 40);
    const rule = siteComparability(site({ currentComplete: 6, earlierComplete: 7, lastDaySyncedAt: fetched }), { current, earlier, now });
    expect(rule).toEqual({ comparable: true, reason: null, cut: { day: '2026-11-19', beforeMs: at('2026-11-19', 6, 40), asOfMs: fetched } });
    // Never fetched today: not comparable, even with every other day complete.
    expect(siteComparability(site({ currentComplete: 6, earlierComplete: 7 }), { current, earlier, now })).toMatchObject({ reason: 'current-incomplete' });
    // A site whose day has already ended (New York at 23:30 Chicago time) needs it complete.
    const late = at('2026-11-26', 23, 30);
    const ny = site({ timezone: 'America/New_York', currentComplete: 6, earlierComplete: 7, lastDaySyncedAt: late - 60_000 });
    expect(siteComparability(ny, { current, earlier, now: late })).toMatchObject({ comparable: false, reason: 'current-incomplete' });
    expect(siteComparability({ ...ny, currentComplete: 7 }, { current, earlier, now: late })).toMatchObject({ comparable: true, cut: null });
  });

  it('keeps the same wall-clock time across a DST change', () => {
    // Nov 2, 2026 at 06:47 against Nov 1 (the day clocks fell back, 25 hours long): 06:47 CST, not 05:47.
    const today = { from: '2026-11-02', to: '2026-11-02' };
    const yesterday = comparisonPeriod(today);
    const fetched = at('2026-11-02', 6, 47);
    const rule = siteComparability(site({ currentComplete: 0, earlierComplete: 1, lastDaySyncedAt: fetched }), { current: today, earlier: yesterday, now: fetched + 1 });
    expect(rule.cut?.beforeMs).toBe(Date.UTC(2026, 10, 1, 12, 47));
    // Spring forward: 02:30 does not exist on Mar 8; the cut falls at 03:00 CDT (08:00 UTC).
    const spring = siteComparability(site({ earlierComplete: 1, lastDaySyncedAt: Date.UTC(2026, 2, 9, 7, 30) }), {
      current: { from: '2026-03-09', to: '2026-03-09' },
      earlier: { from: '2026-03-08', to: '2026-03-08' },
      now: Date.UTC(2026, 2, 9, 8),
    });
    expect(spring.cut?.beforeMs).toBe(Date.UTC(2026, 2, 8, 8));
  });

  it('says a range in the future is in the future', () => {
    const future = { from: '2027-01-01', to: '2027-01-07' };
    expect(siteComparability(site({ currentComplete: 7, earlierComplete: 7 }), { current: future, earlier: comparisonPeriod(future), now: at('2026-11-26', 9) })).toMatchObject({ reason: 'future' });
  });
});

describe('the comparison rule for a scope', () => {
  it('needs every site, names the first reason in reading order, and keeps the earliest as-of', () => {
    expect(scopeComparability([])).toEqual({ comparable: false, reason: 'no-sites', asOfMs: null });
    const ok = { comparable: true as const, reason: null, cut: { day: 'd', beforeMs: 1, asOfMs: 500 } };
    expect(scopeComparability([ok, { ...ok, cut: { ...ok.cut, asOfMs: 300 } }])).toEqual({ comparable: true, reason: null, asOfMs: 300 });
    const no = (reason: 'syncing' | 'earlier-incomplete') => ({ comparable: false as const, reason, cut: null });
    expect(scopeComparability([ok, no('earlier-incomplete'), no('syncing')])).toEqual({ comparable: false, reason: 'syncing', asOfMs: null });
  });
});

describe('day states', () => {
  it('are complete only at every site, partial otherwise, never complete when a sync is in it', () => {
    const today = '2026-11-26';
    expect(dayState({ day: '2026-11-25', fetched: 3, complete: 3, syncing: 0, asOfMs: 1 }, 3, { today })).toBe('complete');
    expect(dayState({ day: '2026-11-25', fetched: 3, complete: 2, syncing: 0, asOfMs: 1 }, 3, { today })).toBe('partial');
    expect(dayState({ day: '2026-11-25', fetched: 2, complete: 2, syncing: 0, asOfMs: 1 }, 3, { today })).toBe('partial');
    expect(dayState({ day: '2026-11-25', fetched: 3, complete: 3, syncing: 1, asOfMs: 1 }, 3, { today })).toBe('syncing');
    expect(dayState(undefined, 3, { today })).toBe('unsynced');
    expect(dayState({ day: '2026-11-27', fetched: 0, complete: 0, syncing: 0, asOfMs: null }, 3, { today })).toBe('future');
    const states = dayStates({ from: '2026-11-25', to: '2026-11-28' }, [{ day: '2026-11-26', fetched: 1, complete: 0, syncing: 0, asOfMs: 5 }], 1, today);
    expect(states).toEqual([
      { day: '2026-11-25', state: 'unsynced', asOfMs: null },
      { day: '2026-11-26', state: 'partial', asOfMs: 5 },
      { day: '2026-11-27', state: 'future', asOfMs: null },
      { day: '2026-11-28', state: 'future', asOfMs: null },
    ]);
  });

  it('use instants where days end in each zone', () => {
    expect(dayEndMs('2026-11-01', CHICAGO) - dayStartMs('2026-11-01', CHICAGO)).toBe(25 * 3_600_000);
  });
});
