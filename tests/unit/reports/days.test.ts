import { describe, expect, it } from 'vitest';
import { addDays, dayCount, eachDay, endOfDayInZone, isCalendarDay, startOfDayInZone, zoneOffsetMs } from '@/lib/reports/days';

describe('calendar days', () => {
  it('validate real days only', () => {
    expect(isCalendarDay('2026-02-28')).toBe(true);
    expect(isCalendarDay('2028-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isCalendarDay('2026-04-31')).toBe(false);
    expect(isCalendarDay('2026-4-1')).toBe(false);
    expect(isCalendarDay('2026-00-10')).toBe(false);
    expect(isCalendarDay('')).toBe(false);
  });

  it('add and count across month, year and DST boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-07', 2)).toBe('2026-03-09');
    expect(dayCount('2026-11-01', '2026-11-01')).toBe(1);
    expect(dayCount('2026-01-01', '2026-12-31')).toBe(365);
    expect(eachDay('2026-10-31', '2026-11-02')).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
  });
});

describe('days in a time zone', () => {
  it('begin at local midnight, including on DST change days', () => {
    // Chicago: CDT (UTC-5) until 2026-11-01 02:00, then CST (UTC-6).
    expect(startOfDayInZone('America/Chicago', '2026-11-01')).toBe(Date.UTC(2026, 10, 1, 5));
    expect(startOfDayInZone('America/Chicago', '2026-11-02')).toBe(Date.UTC(2026, 10, 2, 6));
    // The fall-back day is 25 hours long, the spring-forward day 23.
    expect(endOfDayInZone('America/Chicago', '2026-11-01') - startOfDayInZone('America/Chicago', '2026-11-01')).toBe(25 * 3600_000);
    expect(endOfDayInZone('America/Chicago', '2026-03-08') - startOfDayInZone('America/Chicago', '2026-03-08')).toBe(23 * 3600_000);
    expect(startOfDayInZone('UTC', '2026-06-01')).toBe(Date.UTC(2026, 5, 1));
    expect(startOfDayInZone('Asia/Kolkata', '2026-06-01')).toBe(Date.UTC(2026, 4, 31, 18, 30));
  });

  it('begin at the transition where midnight does not exist', () => {
    // Santiago springs forward at 00:00 on 2026-09-06 (UTC-4 → UTC-3): the day starts at 01:00 local = 04:00 UTC.
    expect(startOfDayInZone('America/Santiago', '2026-09-06')).toBe(Date.UTC(2026, 8, 6, 4));
  });

  it('report offsets', () => {
    expect(zoneOffsetMs('America/Chicago', Date.UTC(2026, 0, 15))).toBe(-6 * 3600_000);
    expect(zoneOffsetMs('America/Chicago', Date.UTC(2026, 6, 15))).toBe(-5 * 3600_000);
  });
});
