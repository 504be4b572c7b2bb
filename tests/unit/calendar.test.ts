import { describe, expect, it } from 'vitest';
import { addDays, dayCount, dayEndMs, dayStartMs, eachDay, endOfMonth, isCalendarDay, localParts, startOfMonth, zoneOffsetMs } from '@/lib/calendar';

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
    expect(eachDay('2026-11-02', '2026-11-01')).toEqual([]);
  });

  it('find the ends of a month, leap years included', () => {
    expect(startOfMonth('2028-02-17')).toBe('2028-02-01');
    expect(endOfMonth('2028-02-17')).toBe('2028-02-29');
    expect(endOfMonth('2026-02-17')).toBe('2026-02-28');
    expect(endOfMonth('2026-12-01')).toBe('2026-12-31');
  });
});

describe('days in a time zone', () => {
  it('begin at local midnight, including on DST change days', () => {
    // Chicago: CDT (UTC-5) until 2026-11-01 02:00, then CST (UTC-6).
    expect(dayStartMs('2026-11-01', 'America/Chicago')).toBe(Date.UTC(2026, 10, 1, 5));
    expect(dayStartMs('2026-11-02', 'America/Chicago')).toBe(Date.UTC(2026, 10, 2, 6));
    // The fall-back day is 25 hours long, the spring-forward day 23.
    expect(dayEndMs('2026-11-01', 'America/Chicago') - dayStartMs('2026-11-01', 'America/Chicago')).toBe(25 * 3600_000);
    expect(dayEndMs('2026-03-08', 'America/Chicago') - dayStartMs('2026-03-08', 'America/Chicago')).toBe(23 * 3600_000);
    expect(dayStartMs('2026-06-01', 'UTC')).toBe(Date.UTC(2026, 5, 1));
    expect(dayStartMs('2026-06-01', 'Asia/Kolkata')).toBe(Date.UTC(2026, 4, 31, 18, 30));
  });

  it('begin at the transition where midnight does not exist', () => {
    // Santiago springs forward at 00:00 on 2026-09-06 (UTC-4 → UTC-3): the day starts at 01:00 local = 04:00 UTC.
    expect(dayStartMs('2026-09-06', 'America/Santiago')).toBe(Date.UTC(2026, 8, 6, 4));
  });

  it('report offsets', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15), 'America/Chicago')).toBe(-6 * 3600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), 'America/Chicago')).toBe(-5 * 3600_000);
  });
});

// The ingest's cached form of the same arithmetic: one call per stored row.
describe('localParts', () => {
  it.each([
    // Chicago: CST (−6) in winter, CDT (−5) in summer; the DST change happens at 2:00 local.
    ['2026-01-15T05:59:59Z', 'America/Chicago', { day: '2026-01-14', hour: 23, time: '23:59:59' }],
    ['2026-01-15T06:00:00Z', 'America/Chicago', { day: '2026-01-15', hour: 0, time: '00:00:00' }],
    ['2026-03-08T07:59:59Z', 'America/Chicago', { day: '2026-03-08', hour: 1, time: '01:59:59' }],
    ['2026-03-08T08:00:00Z', 'America/Chicago', { day: '2026-03-08', hour: 3, time: '03:00:00' }],
    ['2026-11-01T06:30:00Z', 'America/Chicago', { day: '2026-11-01', hour: 1, time: '01:30:00' }],
    ['2026-11-01T07:30:00Z', 'America/Chicago', { day: '2026-11-01', hour: 1, time: '01:30:00' }],
    // Phoenix keeps no DST; Kathmandu is +5:45.
    ['2026-07-01T06:59:00Z', 'America/Phoenix', { day: '2026-06-30', hour: 23, time: '23:59:00' }],
    ['2026-07-01T18:14:59Z', 'Asia/Kathmandu', { day: '2026-07-01', hour: 23, time: '23:59:59' }],
    ['2026-07-01T18:15:00Z', 'Asia/Kathmandu', { day: '2026-07-02', hour: 0, time: '00:00:00' }],
  ])('%s in %s', (iso, zone, expected) => {
    expect(localParts(Date.parse(iso), zone)).toEqual(expected);
  });
});
