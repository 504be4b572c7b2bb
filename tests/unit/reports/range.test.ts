import { describe, expect, it } from 'vitest';
import { toLocalDate } from '@/lib/calendar';
import { comparisonPeriod, MAX_RANGE_DAYS, parseRange, presetRange, previousPeriod } from '@/lib/reports/range';

const ok = (input: Parameters<typeof parseRange>[0], today: string) => {
  const result = parseRange(input, { today });
  if (!result.ok) throw new Error(result.message);
  return result.range;
};
const message = (input: Parameters<typeof parseRange>[0], today = '2026-11-22') => {
  const result = parseRange(input, { today });
  if (result.ok) throw new Error('expected a failure');
  return result.message;
};

describe('presets', () => {
  it('cover the expected days, "last N days" including today', () => {
    const today = '2026-11-22';
    expect(presetRange('today', today)).toEqual({ from: '2026-11-22', to: '2026-11-22' });
    expect(presetRange('yesterday', today)).toEqual({ from: '2026-11-21', to: '2026-11-21' });
    expect(presetRange('last7', today)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(presetRange('last30', today)).toEqual({ from: '2026-10-24', to: '2026-11-22' });
    expect(presetRange('thisMonth', today)).toEqual({ from: '2026-11-01', to: '2026-11-22' });
    expect(presetRange('lastMonth', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('handle month and year ends and leap years', () => {
    expect(presetRange('yesterday', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(presetRange('yesterday', '2028-03-01')).toEqual({ from: '2028-02-29', to: '2028-02-29' });
    expect(presetRange('lastMonth', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('lastMonth', '2028-03-15')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetRange('lastMonth', '2027-01-01')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetRange('thisMonth', '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetRange('last7', '2027-01-03')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });

  it('count calendar days across DST changes (no 23- or 25-hour drift)', () => {
    // US DST ends 2026-11-01 and starts 2026-03-08.
    expect(ok({ preset: 'last7' }, '2026-11-04')).toMatchObject({ from: '2026-10-29', to: '2026-11-04', days: 7 });
    expect(ok({ from: '2026-03-01', to: '2026-03-14' }, '2026-11-22').days).toBe(14);
    expect(previousPeriod({ from: '2026-03-08', to: '2026-03-08' })).toEqual({ from: '2026-03-07', to: '2026-03-07' });
  });

  it('take "today" from the reporting time zone, not UTC', () => {
    // 2026-11-23 03:30 UTC is still the evening of the 22nd in Chicago (UTC-6 after DST ended).
    const instant = Date.UTC(2026, 10, 23, 3, 30);
    expect(toLocalDate(instant, 'America/Chicago')).toBe('2026-11-22');
    expect(toLocalDate(instant, 'UTC')).toBe('2026-11-23');
    // In summer Chicago is UTC-5: 04:59 UTC is 23:59 the day before, 05:00 UTC is midnight.
    expect(toLocalDate(Date.UTC(2026, 6, 1, 4, 59), 'America/Chicago')).toBe('2026-06-30');
    expect(toLocalDate(Date.UTC(2026, 6, 1, 5, 0), 'America/Chicago')).toBe('2026-07-01');
    expect(ok({ preset: 'today' }, toLocalDate(instant, 'America/Chicago'))).toMatchObject({ from: '2026-11-22', days: 1 });
  });
});

describe('previous period', () => {
  it('has the same length and ends the day before', () => {
    expect(previousPeriod({ from: '2026-10-24', to: '2026-11-22' })).toEqual({ from: '2026-09-24', to: '2026-10-23' });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(previousPeriod({ from: '2026-11-22', to: '2026-11-22' })).toEqual({ from: '2026-11-21', to: '2026-11-21' });
  });
});

describe('parseRange', () => {
  it('defaults to the last 30 days', () => {
    expect(ok({}, '2026-11-22')).toEqual({ preset: 'last30', from: '2026-10-24', to: '2026-11-22', days: 30 });
    expect(ok({ preset: '', from: ' ', to: '' }, '2026-11-22').preset).toBe('last30');
  });

  it('lets a preset win over dates (a form sends all three), and reads custom ranges', () => {
    expect(ok({ preset: 'yesterday', from: '2020-01-01', to: '2020-01-02' }, '2026-11-22')).toMatchObject({
      preset: 'yesterday',
      from: '2026-11-21',
    });
    expect(ok({ from: '2026-02-01', to: '2026-02-28' }, '2026-11-22')).toEqual({
      preset: 'custom',
      from: '2026-02-01',
      to: '2026-02-28',
      days: 28,
    });
    expect(ok({ preset: 'custom', from: '2026-02-01', to: '2026-02-01' }, '2026-11-22').days).toBe(1);
  });

  it('rejects malformed, impossible, reversed and overlong ranges with one sentence', () => {
    expect(message({ from: '2026-02-30', to: '2026-03-02' })).toBe('The start date 2026-02-30 does not exist on the calendar.');
    expect(message({ from: '2026-02-01', to: '2026-13-01' })).toBe('The end date 2026-13-01 does not exist on the calendar.');
    expect(message({ from: '02/01/2026', to: '2026-03-01' })).toBe('The start date "02/01/2026" is not a date written YYYY-MM-DD.');
    expect(message({ from: '2026-03-02', to: '2026-03-01' })).toBe('The start date 2026-03-02 is after the end date 2026-03-01.');
    expect(message({ from: '2026-03-01' })).toBe('A custom range needs both a start date and an end date.');
    expect(message({ preset: 'fortnight' })).toBe('"fortnight" is not a date range Washboard knows.');
    expect(message({ from: '2020-01-01', to: '2026-01-01' })).toMatch(/at most 3 years/);
    expect(message({ from: '2029-02-29', to: '2029-03-01' })).toMatch(/does not exist/);
  });

  it('accepts exactly three years and not a day more', () => {
    expect(ok({ from: '2023-01-01', to: '2025-12-31' }, '2026-11-22').days).toBe(1096);
    expect(MAX_RANGE_DAYS).toBe(1096);
    expect(message({ from: '2023-01-01', to: '2026-01-01' })).toMatch(/1,097 days/);
  });
});

describe('the period a range is compared with (issue #10)', () => {
  it('is the month before for whole months, and the same days of it for a month to date', () => {
    // "Last month" (October) against September, not Aug 31 - Sep 30.
    expect(comparisonPeriod(presetRange('lastMonth', '2026-11-26'))).toEqual({ from: '2026-09-01', to: '2026-09-30' });
    expect(comparisonPeriod({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(comparisonPeriod({ from: '2028-03-01', to: '2028-03-31' })).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(comparisonPeriod({ from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    // Two whole months against the two before them.
    expect(comparisonPeriod({ from: '2026-09-01', to: '2026-10-31' })).toEqual({ from: '2026-07-01', to: '2026-08-31' });
    // "This month" to date: the same days of the month before, cut at its end.
    expect(comparisonPeriod(presetRange('thisMonth', '2026-11-26'))).toEqual({ from: '2026-10-01', to: '2026-10-26' });
    expect(comparisonPeriod({ from: '2026-03-01', to: '2026-03-30' })).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(comparisonPeriod({ from: '2027-01-01', to: '2027-01-10' })).toEqual({ from: '2026-12-01', to: '2026-12-10' });
  });

  it('is the same length just before for other ranges, DST or not', () => {
    expect(comparisonPeriod(presetRange('last7', '2026-11-26'))).toEqual({ from: '2026-11-13', to: '2026-11-19' });
    expect(comparisonPeriod(presetRange('today', '2026-11-02'))).toEqual({ from: '2026-11-01', to: '2026-11-01' });
    expect(comparisonPeriod({ from: '2026-03-05', to: '2026-03-11' })).toEqual({ from: '2026-02-26', to: '2026-03-04' });
  });

  it('is the same weekdays a year earlier for "Same period last year"', () => {
    const range = { from: '2026-11-20', to: '2026-11-26' };
    const lastYear = comparisonPeriod(range, 'lastYear');
    expect(lastYear).toEqual({ from: '2025-11-21', to: '2025-11-27' });
    const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    expect(weekday(lastYear.from)).toBe(weekday(range.from));
    expect(weekday(lastYear.to)).toBe(weekday(range.to));
    // Across a leap day the weekdays still match.
    expect(comparisonPeriod({ from: '2028-03-01', to: '2028-03-01' }, 'lastYear')).toEqual({ from: '2027-03-03', to: '2027-03-03' });
  });
});

describe('messages about dates', () => {
  it('say a year before 1970 is too early, not that it is not on the calendar', () => {
    const r = parseRange({ from: '0001-01-01', to: '2026-01-01' }, { today: '2026-11-22' });
    expect(r.ok ? '' : r.message).toBe('The start date 0001-01-01 is before 1970; Washboard holds no data that old.');
  });

  it('clip an echoed value instead of repeating a pasted essay', () => {
    const r = parseRange({ from: 'x'.repeat(3000), to: '2026-01-01' }, { today: '2026-11-22' });
    expect(r.ok ? '' : r.message.length).toBeLessThan(120);
  });
});
