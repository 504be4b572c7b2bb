import { describe, expect, it } from 'vitest';
import { localParts } from '@/lib/sync/local-time';

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
