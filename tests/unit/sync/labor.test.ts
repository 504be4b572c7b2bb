import { describe, expect, it } from 'vitest';
import { storedClockEntry } from '@/lib/sync/work/labor';
import { verificationCost } from '@/lib/sync/work/memberships';

const entry = (over = {}) => ({
  clockIn: '2026-03-08T04:30:00.000Z',
  clockOut: '2026-03-08T13:15:00.000Z',
  regularRate: 15.2,
  regularHours: 8.25,
  overtimeEligible: true,
  overtimeRate: 22.8,
  overtimeHours: 0.5,
  wasModified: false,
  modificationTimestamp: null,
  wasCreatedInBackOffice: false,
  siteCode: 'JOLIET',
  ...over,
});

describe('clock entries as stored (FACTS §0.1 labor)', () => {
  it('count on the local day of the clock-in at the entry’s own site, in hundredths, cost rounded per entry', () => {
    const zones: Record<string, string> = { JOLIET: 'America/Chicago', KAPOLEI: 'Pacific/Honolulu' };
    const zoneOf = (code: string) => zones[code]!;
    // 04:30 UTC on Mar 8 is 22:30 on Mar 7 in Chicago: the shift crosses midnight and counts on the 7th.
    expect(storedClockEntry(42, entry(), zoneOf)).toEqual({
      employeeId: 42,
      clockInUnix: Date.parse('2026-03-08T04:30:00Z') / 1000,
      siteCode: 'JOLIET',
      localDay: '2026-03-07',
      clockOutUnix: Date.parse('2026-03-08T13:15:00Z') / 1000,
      regularHundredths: 825,
      overtimeHundredths: 50,
      regularRateCents: 1520,
      overtimeRateCents: 2280,
      // round(100 × (15.2 × 8.25 + 22.8 × 0.5)) = round(12540 + 1140) = 13680, though 15.2 × 8.25 is 125.39999… in binary.
      costCents: 13_680,
      wasModified: false,
    });
    // The same instant at a Honolulu site is still the 7th there; an open shift has no clock-out.
    expect(storedClockEntry(42, entry({ siteCode: 'KAPOLEI', clockOut: null }), zoneOf)).toMatchObject({ localDay: '2026-03-07', clockOutUnix: null });
    expect(() => storedClockEntry(42, entry({ clockIn: 'yesterday' }), zoneOf)).toThrow(/unreadable clock-in/);
  });
});

describe('verifying new memberships', () => {
  it('costs a request per plan sale by detail, two per 100 transactions by load-job', () => {
    expect(verificationCost(12, [430])).toEqual({ detail: 12, job: 10 });
    expect(verificationCost(3, [430])).toEqual({ detail: 3, job: 10 });
    // A 25-hour day (fall back) needs two 24-hour jobs.
    expect(verificationCost(30, [400, 20])).toEqual({ detail: 30, job: 10 });
  });
});
