import { describe, expect, it } from 'vitest';
import { count, integer, money, nullableMoney, openEnum, text } from '@/lib/sonnys/schemas/common';

describe('common building blocks', () => {
  it('money accepts numbers and numeric strings, outputs numbers', () => {
    expect(money.parse(5)).toBe(5);
    expect(money.parse('5.00')).toBe(5);
    expect(money.parse('-1.25')).toBe(-1.25);
    expect(money.parse(' 7 ')).toBe(7);
    for (const bad of ['', 'abc', '5,00', null, true]) expect(money.safeParse(bad).success).toBe(false);
  });

  it('nullableMoney maps null, missing and "" to null', () => {
    expect(nullableMoney.parse(null)).toBeNull();
    expect(nullableMoney.parse(undefined)).toBeNull();
    expect(nullableMoney.parse('')).toBeNull();
    expect(nullableMoney.parse('10.50')).toBe(10.5);
  });

  it('text maps "", whitespace, null and missing to null', () => {
    expect(text.parse('')).toBeNull();
    expect(text.parse('  ')).toBeNull();
    expect(text.parse(null)).toBeNull();
    expect(text.parse(undefined)).toBeNull();
    expect(text.parse('x')).toBe('x');
    expect(text.parse(12)).toBe('12');
  });

  it('integer and count accept integer strings; count allows null', () => {
    expect(integer.parse('1')).toBe(1);
    expect(integer.safeParse(1.5).success).toBe(false);
    expect(count.parse(null)).toBeNull();
    expect(count.parse(undefined)).toBeNull();
    expect(count.parse(22)).toBe(22);
  });

  it('openEnum keeps known and unknown values', () => {
    const s = openEnum(['a', 'b'] as const);
    expect(s.parse('a')).toBe('a');
    expect(s.parse('zzz')).toBe('zzz');
    expect(s.safeParse(3).success).toBe(false);
  });
});
