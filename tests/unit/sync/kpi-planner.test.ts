import { describe, expect, it } from 'vitest';
import { planKpis, planLabor, type KpiPlanInput } from '@/lib/sync/kpi-planner';
import { dayStartMs } from '@/lib/calendar';
import { addDays } from '@/lib/sonnys';

const CHICAGO = 'America/Chicago';
// Thursday 2026-11-26, 10:00 in Chicago.
const NOW = dayStartMs('2026-11-26', CHICAGO) + 10 * 3_600_000;
const HOUR = 3_600_000;

const input = (over: Partial<KpiPlanInput> = {}): KpiPlanInput => ({
  sites: [{ code: 'JOL', timezone: CHICAGO, rowsPerDay: 400 }],
  now: NOW,
  backfillDays: 10,
  horizonDays: 180,
  defaultTimezone: CHICAGO,
  transactions: [],
  unclassified: new Map(),
  unverified: new Map(),
  laborCoverage: new Map(),
  openShiftDays: new Set(),
  employees: 36,
  ...over,
});
const days = (chunks: { fromDay: string; toDay: string }[]) => chunks.map((c) => `${c.fromDay}..${c.toDay}`);

describe('planning the car-wash KPI work', () => {
  it('classifies and verifies the days a run fetches and any backlog within the horizon, in ranges of up to 31 days', () => {
    const chunks = planKpis(
      input({
        transactions: [{ siteCode: 'JOL', fromDay: '2026-11-25', toDay: '2026-11-26' }],
        unclassified: new Map([['JOL', ['2026-11-20', '2026-11-21', '2026-01-01']]]),
        unverified: new Map([['JOL', ['2026-11-19']]]),
        laborCoverage: new Map(Array.from({ length: 20 }, (_, i) => [addDays('2026-11-27', -i), NOW])),
      }),
    );
    expect(days(chunks.filter((c) => c.kind === 'washes'))).toEqual(['2026-11-20..2026-11-21', '2026-11-25..2026-11-26']);
    expect(days(chunks.filter((c) => c.kind === 'memberships'))).toEqual(['2026-11-19..2026-11-19', '2026-11-25..2026-11-25', '2026-11-26..2026-11-26']);
    // 2026-01-01 is past the API's six months: not planned, it stays incomplete.
    expect(chunks.some((c) => c.fromDay <= '2026-01-01')).toBe(false);
  });

  it('leaves the backlog to background runs when a person presses Sync now', () => {
    const chunks = planKpis(
      input({
        backlog: false,
        transactions: [{ siteCode: 'JOL', fromDay: '2026-11-25', toDay: '2026-11-26' }],
        unclassified: new Map([['JOL', ['2026-11-20']]]),
        unverified: new Map([['JOL', ['2026-11-19']]]),
      }),
    );
    expect(days(chunks.filter((c) => c.kind === 'washes'))).toEqual(['2026-11-25..2026-11-26']);
    expect(days(chunks.filter((c) => c.kind === 'memberships'))).toEqual(['2026-11-25..2026-11-25', '2026-11-26..2026-11-26']);
    expect(days(chunks.filter((c) => c.kind === 'labor'))).toEqual(['2026-11-24..2026-11-26']);
  });

  it('fetches labor never fetched, in windows of at most 14 days, from the backfill start to today', () => {
    const labor = planLabor(input({ backfillDays: 20 }));
    expect(days(labor)).toEqual(['2026-11-06..2026-11-19', '2026-11-20..2026-11-26']);
    expect(labor.every((c) => c.kind === 'labor' && c.siteCode === '' && c.estimatedPages === 36)).toBe(true);
  });

  it('settles a day once fetched after the next day ended; fetches recent days again at most hourly, and rechecks at 3 and 7 days', () => {
    const coverage = new Map<string, number>();
    // Every day from Nov 16 to Nov 24 fetched after the day after it ended; Nov 25 and 26 fetched 30 min ago.
    for (let d = '2026-11-16'; d <= '2026-11-24'; d = addDays(d, 1)) coverage.set(d, dayStartMs(addDays(d, 2), CHICAGO) + HOUR);
    coverage.set('2026-11-25', NOW - 30 * 60_000);
    coverage.set('2026-11-26', NOW - 30 * 60_000);
    const due = (over: Partial<KpiPlanInput>) => days(planLabor(input({ backfillDays: 10, laborCoverage: coverage, ...over })));
    // A day settles when the day after it ends (Nov 20 on Nov 22); its rechecks fall due 3 and 7
    // days later and stay due for 2 days: Nov 20 and 21 (3 days), Nov 16 and 17 (7 days).
    expect(due({})).toEqual(['2026-11-16..2026-11-17', '2026-11-20..2026-11-21']);
    // An hour later the recent days are due again, and a shift left open on Nov 18 makes its days due too.
    const later = planLabor(input({ backfillDays: 10, laborCoverage: coverage, now: NOW + HOUR, openShiftDays: new Set(['2026-11-18']) }));
    const planned = new Set(later.flatMap((c) => Array.from({ length: 15 }, (_, i) => addDays(c.fromDay, i)).filter((d) => d <= c.toDay)));
    for (const d of ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-25', '2026-11-26']) expect(planned.has(d)).toBe(true);
    expect(planned.has('2026-11-23')).toBe(false);
  });
});
