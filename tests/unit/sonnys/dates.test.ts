import { describe, expect, it } from 'vitest';
import {
  LOAD_JOB_MAX_SPAN_SECONDS,
  TRANSACTION_LIST_MAX_SPAN_SECONDS,
  addDays,
  chunkLocalDays,
  clampRange,
  clockEntryChunks,
  daysBetween,
  loadJobChunks,
  localDayRange,
  localDaySeconds,
  rangeSpan,
  splitRange,
  startOfLocalDay,
  toLocalDate,
  transactionListChunks,
  zoneOffsetMs,
  type DateChunk,
} from '@/lib/sonnys/dates';

const CHI = 'America/Chicago';
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
const FAR_FUTURE = Date.UTC(2100, 0, 1);

function expectContiguous(chunks: DateChunk[], maxSpan: number) {
  for (const [i, c] of chunks.entries()) {
    expect(rangeSpan(c)).toBeLessThanOrEqual(maxSpan);
    expect(c.endDate).toBeGreaterThanOrEqual(c.startDate);
    const prev = chunks[i - 1];
    if (prev) expect(c.startDate).toBe(prev.endDate + 1);
  }
}

describe('calendar arithmetic', () => {
  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
  });

  it('rejects malformed dates and unknown zones', () => {
    expect(() => addDays('2024-2-1', 1)).toThrow(RangeError);
    expect(() => addDays('2023-02-29', 1)).toThrow(RangeError);
    expect(() => startOfLocalDay('2024-01-01', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('local days in America/Chicago', () => {
  it('starts ordinary days at local midnight', () => {
    expect(startOfLocalDay('2024-01-15', CHI)).toBe(utc(2024, 1, 15, 6)); // CST, UTC−6
    expect(startOfLocalDay('2024-07-04', CHI)).toBe(utc(2024, 7, 4, 5)); // CDT, UTC−5
    expect(zoneOffsetMs(Date.UTC(2024, 6, 4, 12), CHI)).toBe(-5 * 3600_000);
  });

  it('has a 23-hour day when DST starts (2024-03-10)', () => {
    expect(startOfLocalDay('2024-03-10', CHI)).toBe(utc(2024, 3, 10, 6));
    expect(startOfLocalDay('2024-03-11', CHI)).toBe(utc(2024, 3, 11, 5));
    expect(localDaySeconds('2024-03-10', CHI)).toBe(23 * 3600);
    expect(localDayRange('2024-03-10', '2024-03-10', CHI)).toEqual({ startDate: utc(2024, 3, 10, 6), endDate: utc(2024, 3, 11, 5) - 1 });
  });

  it('has a 25-hour day when DST ends (2024-11-03)', () => {
    expect(startOfLocalDay('2024-11-03', CHI)).toBe(utc(2024, 11, 3, 5));
    expect(startOfLocalDay('2024-11-04', CHI)).toBe(utc(2024, 11, 4, 6));
    expect(localDaySeconds('2024-11-03', CHI)).toBe(25 * 3600);
    expect(rangeSpan(localDayRange('2024-11-03', '2024-11-03', CHI))).toBe(25 * 3600);
  });

  it('matches the Python SDK example around the 2026 spring change, minus its 00:00:01 offset (FACTS §4.1)', () => {
    expect(localDayRange('2026-03-07', '2026-03-08', CHI)).toEqual({ startDate: utc(2026, 3, 7, 6), endDate: utc(2026, 3, 9, 4, 59, 59) });
  });

  it('reproduces the spec example for April 2022 (inclusive end)', () => {
    expect(localDayRange('2022-04-01', '2022-04-30', 'America/New_York')).toEqual({ startDate: 1648785600, endDate: 1651377599 });
  });

  it('handles a zone whose DST starts at midnight (no local 00:00)', () => {
    // Chile skips from 00:00 to 01:00 on 2024-09-08; the day starts at the jump.
    expect(startOfLocalDay('2024-09-08', 'America/Santiago')).toBe(utc(2024, 9, 8, 4));
    expect(localDaySeconds('2024-09-08', 'America/Santiago')).toBe(23 * 3600);
  });

  it('maps instants to local days on both sides of midnight and DST', () => {
    expect(toLocalDate('2024-11-03T04:59:59.000Z', CHI)).toBe('2024-11-02');
    expect(toLocalDate('2024-11-03T05:00:00.000Z', CHI)).toBe('2024-11-03');
    expect(toLocalDate('2024-11-04T05:59:59.000Z', CHI)).toBe('2024-11-03'); // the repeated hour is still Nov 3
    expect(toLocalDate(utc(2024, 11, 4, 6) * 1000, CHI)).toBe('2024-11-04'); // epoch ms, like every instant argument
    expect(toLocalDate(new Date(utc(2024, 11, 4, 6) * 1000 - 1), CHI)).toBe('2024-11-03');
    expect(toLocalDate(Date.UTC(2024, 0, 2, 3), CHI)).toBe('2024-01-01');
  });

  it('rejects a range that ends before it starts', () => {
    expect(() => localDayRange('2024-01-02', '2024-01-01', CHI)).toThrow(RangeError);
  });
});

describe('ranges and chunks', () => {
  it('splits inclusive ranges without gaps or overlaps', () => {
    expect(splitRange({ startDate: 0, endDate: 249 }, 100)).toEqual([
      { startDate: 0, endDate: 99 },
      { startDate: 100, endDate: 199 },
      { startDate: 200, endDate: 249 },
    ]);
  });

  it('clamps the end to now and drops ranges entirely in the future', () => {
    const range = { startDate: 1000, endDate: 5000 };
    expect(clampRange(range, 3000_500)).toEqual({ startDate: 1000, endDate: 3000 });
    expect(clampRange(range, 9000_000)).toEqual(range);
    expect(clampRange(range, 999_000)).toBeNull();
  });

  it('chunks a quarter for transaction lists on local midnights, within 31 days each, shrinking the chunk with the 25-hour day', () => {
    const chunks = transactionListChunks('2024-10-01', '2024-12-31', CHI, FAR_FUTURE);
    expect(chunks.map((c) => [c.firstDay, c.lastDay])).toEqual([
      ['2024-10-01', '2024-10-31'],
      ['2024-11-01', '2024-11-30'],
      ['2024-12-01', '2024-12-31'],
    ]);
    expectContiguous(chunks, TRANSACTION_LIST_MAX_SPAN_SECONDS);
    expect(chunks[0]?.startDate).toBe(startOfLocalDay('2024-10-01', CHI));
    expect(chunks.at(-1)?.endDate).toBe(startOfLocalDay('2025-01-01', CHI) - 1);
  });

  it('gives load-job one chunk per day, two for the 25-hour day, one for the 23-hour day', () => {
    const fall = loadJobChunks('2024-11-02', '2024-11-04', CHI, FAR_FUTURE);
    expect(fall.map((c) => [c.firstDay, rangeSpan(c)])).toEqual([
      ['2024-11-02', 86_400],
      ['2024-11-03', 86_400],
      ['2024-11-03', 3_600],
      ['2024-11-04', 86_400],
    ]);
    expectContiguous(fall, LOAD_JOB_MAX_SPAN_SECONDS);
    const spring = loadJobChunks('2024-03-10', '2024-03-10', CHI, FAR_FUTURE);
    expect(spring.map((c) => rangeSpan(c))).toEqual([23 * 3600]);
  });

  it('clamps chunks to now and drops future days', () => {
    const now = (utc(2024, 5, 2, 17) + 0.4) * 1000; // 12:00 CDT on May 2
    const chunks = loadJobChunks('2024-05-01', '2024-05-05', CHI, now);
    expect(chunks.map((c) => c.firstDay)).toEqual(['2024-05-01', '2024-05-02']);
    expect(chunks[1]?.endDate).toBe(utc(2024, 5, 2, 17));
  });

  it('chunkLocalDays covers single days and respects tiny limits', () => {
    expect(chunkLocalDays('2024-01-01', '2024-01-01', 'UTC', 86_400)).toEqual([
      { firstDay: '2024-01-01', lastDay: '2024-01-01', startDate: utc(2024, 1, 1), endDate: utc(2024, 1, 2) - 1 },
    ]);
    const hours = chunkLocalDays('2024-01-01', '2024-01-01', 'UTC', 3600);
    expect(hours).toHaveLength(24);
    expectContiguous(hours, 3600);
  });

  it('splits clock-entry days 14 + 14 + 3 and sends dates verbatim', () => {
    expect(clockEntryChunks('2024-01-01', '2024-01-31')).toEqual([
      { startDate: '2024-01-01', endDate: '2024-01-14' },
      { startDate: '2024-01-15', endDate: '2024-01-28' },
      { startDate: '2024-01-29', endDate: '2024-01-31' },
    ]);
    expect(clockEntryChunks('2024-01-01', '2024-01-01')).toEqual([{ startDate: '2024-01-01', endDate: '2024-01-01' }]);
  });
});
