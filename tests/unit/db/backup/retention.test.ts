import { describe, expect, it } from 'vitest';
import { isoWeekKey, selectRetained } from '@/db/backup/retention';

const at = (iso: string) => Date.parse(iso);

describe('ISO weeks', () => {
  it.each([
    ['2026-01-01T12:00:00Z', '2026-W01'], // a Thursday: week 1
    ['2027-01-01T12:00:00Z', '2026-W53'], // a Friday: the last week of 2026
    ['2027-01-04T00:00:00Z', '2027-W01'], // Monday
    ['2026-03-08T23:59:59Z', '2026-W10'], // Sunday ends the week
    ['2026-03-09T00:00:00Z', '2026-W11'],
    ['2024-12-30T08:00:00Z', '2025-W01'],
  ])('%s is in %s', (iso, week) => {
    expect(isoWeekKey(at(iso))).toBe(week);
  });
});

describe('selectRetained', () => {
  it('keeps the newest of each of the last N days, weeks and months', () => {
    // Every 6 hours for 100 days: 2026-01-01 00:00 to Friday 2026-04-10 18:00.
    const backups = Array.from({ length: 400 }, (_, i) => ({ id: `b${i}`, at: at('2026-01-01T00:00:00Z') + i * 6 * 3_600_000 }));
    const kept = [...selectRetained(backups)].map((id) => new Date(backups.find((b) => b.id === id)!.at).toISOString()).sort();
    expect(kept).toEqual([
      '2026-01-31T18:00:00.000Z', // monthly: January's newest
      '2026-02-28T18:00:00.000Z', // monthly: February's
      '2026-03-22T18:00:00.000Z', // weekly: the Sunday ending 2026-W12
      '2026-03-29T18:00:00.000Z', // weekly: W13
      '2026-03-31T18:00:00.000Z', // monthly: March's
      '2026-04-04T18:00:00.000Z', // daily: the last 7 days, each day's newest (Apr 5 is also W14's)
      '2026-04-05T18:00:00.000Z',
      '2026-04-06T18:00:00.000Z',
      '2026-04-07T18:00:00.000Z',
      '2026-04-08T18:00:00.000Z',
      '2026-04-09T18:00:00.000Z',
      '2026-04-10T18:00:00.000Z', // the newest: also W15's and April's
    ]);
  });

  it('counts days, weeks and months that have a backup, not calendar days (an app that was off)', () => {
    const backups = ['2025-06-30', '2025-09-10', '2025-12-24', '2026-03-01', '2026-03-02'].map((d, i) => ({ id: `b${i}`, at: at(`${d}T03:00:00Z`) }));
    expect(selectRetained(backups, { daily: 2, weekly: 0, monthly: 3 })).toEqual(new Set(['b4', 'b3', 'b2', 'b1']));
  });

  it('always keeps the newest, even with a policy that keeps nothing', () => {
    const backups = [{ id: 'old', at: 1 }, { id: 'new', at: 2 }];
    expect(selectRetained(backups, { daily: 0, weekly: 0, monthly: 0 })).toEqual(new Set(['new']));
    expect(selectRetained([])).toEqual(new Set());
  });
});
