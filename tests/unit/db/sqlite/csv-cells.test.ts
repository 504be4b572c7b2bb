import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { booleanCellSql, centsToDecimalSql, optionalBooleanCellSql, textCellSql } from '@/db/sqlite/csv-cells';
import { dayOffsets } from '@/db/sql/report-rows';
import { centsToDecimal, optionalBooleanCell, textCell } from '@/lib/reports/csv';

// The SQL twins of the CSV cell functions, run by a real SQLite: the transactions export relies on
// them writing exactly what the JS versions write.
const sqlite = new Database(':memory:');
afterAll(() => sqlite.close());

const sqlText = sqlite.prepare(`SELECT ${textCellSql('v')} FROM (SELECT ? AS v)`).pluck();
const sqlCents = sqlite.prepare(`SELECT ${centsToDecimalSql('v')} FROM (SELECT ? AS v)`).pluck();
const sqlBool = sqlite.prepare(`SELECT ${booleanCellSql('v')} FROM (SELECT ? AS v)`).pluck();
const sqlOptionalBool = sqlite.prepare(`SELECT ${optionalBooleanCellSql('v')} FROM (SELECT ? AS v)`).pluck();

describe('SQL cell expressions', () => {
  it('neutralise and quote text exactly as textCell does', () => {
    const awkward = [
      null,
      '',
      'plain',
      'Joliet, IL',
      'the "big" one',
      'two\nlines',
      'cr\rhere',
      '=HYPERLINK("http://x")',
      '=1+2',
      '+1',
      '-5',
      '@SUM(A1)',
      '\tx',
      '\rx',
      "'already",
      '"',
      ',',
      '-',
      'émoji 🚗, ünïcode',
      '12345:W01',
      ' =leading space',
    ];
    for (const value of awkward) expect(sqlText.get(value), JSON.stringify(value)).toBe(textCell(value));
  });

  it('write cents as textCell’s sibling centsToDecimal does', () => {
    for (const cents of [0, 1, 9, 10, 99, 100, 101, 1999, 2000, -1, -5, -99, -100, -1234, 123456789, -987654321]) {
      expect(sqlCents.get(cents), String(cents)).toBe(centsToDecimal(cents));
    }
  });

  it('write a flag not known yet as an empty cell, as optionalBooleanCell does', () => {
    for (const v of [1, 0, null]) expect(sqlOptionalBool.get(v)).toBe(optionalBooleanCell(v));
    expect(optionalBooleanCell(null)).toBe('');
  });

  it('write flags as true and false', () => {
    expect(sqlBool.get(1)).toBe('true');
    expect(sqlBool.get(0)).toBe('false');
  });
});

describe('dayOffsets', () => {
  it('gives one offset on an ordinary day', () => {
    const o = dayOffsets('2026-07-04', 'America/Chicago');
    expect(o.offsetBefore).toBe(-5 * 3600);
    expect(o.offsetAfter).toBe(-5 * 3600);
    // No change within the day: the change lies at or past the day's end.
    expect(o.change).toBeGreaterThanOrEqual(Date.UTC(2026, 6, 5, 5) / 1000);
  });

  it('finds the second the clocks change on DST days', () => {
    // Chicago springs forward at 2026-03-08 08:00 UTC (02:00 CST) and falls back at 2026-11-01 07:00 UTC.
    expect(dayOffsets('2026-03-08', 'America/Chicago')).toEqual({ change: Date.UTC(2026, 2, 8, 8) / 1000, offsetBefore: -6 * 3600, offsetAfter: -5 * 3600 });
    expect(dayOffsets('2026-11-01', 'America/Chicago')).toEqual({ change: Date.UTC(2026, 10, 1, 7) / 1000, offsetBefore: -5 * 3600, offsetAfter: -6 * 3600 });
    // A zone that changes at midnight: the day starts after the gap, so it has one offset.
    const santiago = dayOffsets('2026-09-06', 'America/Santiago');
    expect(santiago.offsetBefore).toBe(santiago.offsetAfter);
  });

  it('leaves zones without DST alone', () => {
    const phoenix = dayOffsets('2026-03-08', 'America/Phoenix');
    expect([phoenix.offsetBefore, phoenix.offsetAfter]).toEqual([-7 * 3600, -7 * 3600]);
  });
});
