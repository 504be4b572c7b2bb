import { describe, expect, it } from 'vitest';
import { averageCents, centsToDecimal, csvLine, moneyCell, numberCell, textCell } from '@/lib/reports/csv';
import { formatChange } from '@/lib/reports/format';
import { buildKpis, changeDirection, EMPTY_TOTALS, relativeChange } from '@/lib/reports/kpis';

describe('CSV cells', () => {
  it('quote per RFC 4180', () => {
    expect(textCell('plain')).toBe('plain');
    expect(textCell('Joliet, IL')).toBe('"Joliet, IL"');
    expect(textCell('the "big" one')).toBe('"the ""big"" one"');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell(null)).toBe('');
    expect(csvLine(['a', textCell('b,c'), ''])).toBe('a,"b,c",\r\n');
  });

  it('neutralise text that a spreadsheet would run as a formula', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(textCell('+1')).toBe("'+1");
    expect(textCell('-5')).toBe("'-5");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('\tx')).toBe("'\tx");
    expect(textCell('\rx')).toBe(`"'\rx"`);
    expect(textCell('a=b')).toBe('a=b');
  });

  it('leave numbers plain, negative ones included', () => {
    expect(numberCell(-3)).toBe('-3');
    expect(numberCell(null)).toBe('');
    expect(moneyCell(-1250)).toBe('-12.50');
  });

  it('write cents as exact decimals', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(centsToDecimal(-100)).toBe('-1.00');
    // 0.1 + 0.2 style errors cannot happen: 10 + 20 cents is 30 cents.
    expect(centsToDecimal(10 + 20)).toBe('0.30');
    expect(centsToDecimal(900719925474099)).toBe('9007199254740.99');
    expect(() => centsToDecimal(1.5)).toThrow(RangeError);
  });

  it('average in whole cents, half away from zero', () => {
    expect(averageCents(1000, 3)).toBe(333);
    expect(averageCents(1001, 2)).toBe(501);
    expect(averageCents(-1001, 2)).toBe(-501);
    expect(averageCents(2000, 3)).toBe(667);
    expect(averageCents(100, 0)).toBeNull();
  });
});

describe('KPIs', () => {

  it('compare with the previous period, without dividing by zero', () => {
    expect(relativeChange(150, 100)).toBe(0.5);
    expect(relativeChange(50, 100)).toBe(-0.5);
    expect(relativeChange(50, 0)).toBeNull();
    expect(relativeChange(-50, -100)).toBe(0.5);
    const kpis = buildKpis(
      { ...EMPTY_TOTALS, revenueCents: 3000, salesCount: 2, transactions: 3 },
      { ...EMPTY_TOTALS, revenueCents: 2000, salesCount: 2, transactions: 2 },
      true,
    );
    expect(kpis.find((k) => k.id === 'revenue')).toMatchObject({ value: 3000, previous: 2000, change: 0.5 });
    expect(kpis.find((k) => k.id === 'average-ticket')).toMatchObject({ value: 1500, previous: 1000, change: 0.5 });
    expect(kpis.find((k) => k.id === 'voided')).toMatchObject({ value: 0, previous: 0, change: null });
    // Not comparable: the same figures, no change anywhere.
    const apart = buildKpis({ ...EMPTY_TOTALS, revenueCents: 3000 }, { ...EMPTY_TOTALS, revenueCents: 2000 }, false);
    expect(apart.every((k) => k.change === null)).toBe(true);
    expect(apart.find((k) => k.id === 'revenue')).toMatchObject({ value: 3000, previous: 2000 });
  });

  it('point the arrow the way the shown figure reads (0.0 % is flat, not up)', () => {
    expect(changeDirection(0.0004)).toBe('flat');
    expect(changeDirection(-0.0004)).toBe('flat');
    expect(changeDirection(0.0006)).toBe('up');
    expect(changeDirection(-0.2)).toBe('down');
    expect(changeDirection(null)).toBeNull();
    expect(formatChange(0.0004)).toBe('0%');
  });
});
