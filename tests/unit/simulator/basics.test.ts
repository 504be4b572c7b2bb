import { describe, expect, it } from 'vitest';
import { ControllableClock } from '@/lib/simulator/clock';
import { cents, formatCents, toJson } from '@/lib/simulator/money';
import { Throttle } from '@/lib/simulator/http/throttle';
import { parseFaultSpec, parseLatency, FaultInjector } from '@/lib/simulator/http/faults';
import { SnapshotCache } from '@/lib/simulator/http/snapshot-cache';
import { localDayOf, localDayRangeMs, localToUtcMs } from '@/lib/simulator/time';

describe('money', () => {
  it('emits cents as numbers with two decimals', () => {
    expect(formatCents(1050)).toBe('10.50');
    expect(formatCents(-500)).toBe('-5.00');
    expect(formatCents(7)).toBe('0.07');
    expect(toJson({ a: cents(1999), b: [cents(0), cents(-1)], s: 'x' })).toBe('{"a":19.99,"b":[0.00,-0.01],"s":"x"}');
    expect(() => cents(1.5)).toThrow();
  });
});

describe('time zones', () => {
  it('handles DST day lengths and local days', () => {
    const spring = localDayRangeMs('2026-03-08', 'America/Chicago');
    expect(spring.endMs - spring.startMs).toBe(23 * 3_600_000);
    const fall = localDayRangeMs('2026-11-01', 'America/Chicago');
    expect(fall.endMs - fall.startMs).toBe(25 * 3_600_000);
    const phoenix = localDayRangeMs('2026-03-08', 'America/Phoenix');
    expect(phoenix.endMs - phoenix.startMs).toBe(24 * 3_600_000);
    expect(new Date(localToUtcMs('2026-03-10', 8 * 3600, 'America/Chicago')).toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(localDayOf(Date.parse('2026-03-10T04:59:59Z'), 'America/Chicago')).toBe('2026-03-09');
    expect(localDayOf(Date.parse('2026-03-10T05:00:00Z'), 'America/Chicago')).toBe('2026-03-10');
  });
});

describe('clock', () => {
  it('sets, freezes, advances and resumes', () => {
    let real = 1000;
    const c = new ControllableClock({}, () => real);
    expect(c.now()).toBe(1000);
    c.advance(50);
    real = 2000;
    expect(c.now()).toBe(2050);
    c.set(10);
    real = 5000;
    expect(c.now()).toBe(10);
    c.resume();
    real = 5100;
    expect(c.now()).toBe(110);
  });
});

describe('Throttle', () => {
  it('is a fixed window anchored at the first arrival', () => {
    let t = 0;
    const th = new Throttle({ limit: 2, windowMs: 100 }, () => t);
    expect([th.hit('a').allowed, th.hit('a').allowed, th.hit('a').allowed]).toEqual([true, true, false]);
    t = 99;
    expect(th.hit('a').allowed).toBe(false);
    t = 100;
    expect(th.hit('a')).toEqual({ allowed: true, count: 1, resetAt: 200 });
    expect(th.count('b')).toBe(0);
  });
});

describe('snapshot cache', () => {
  it('keeps the first value for the TTL', () => {
    const c = new SnapshotCache<number>(10);
    expect(c.getOrBuild('k', 0, () => 1).value).toBe(1);
    expect(c.getOrBuild('k', 9, () => 2)).toEqual({ value: 1, createdAt: 0, hit: true });
    expect(c.getOrBuild('k', 10, () => 3).value).toBe(3);
  });
});

describe('fault options', () => {
  it('parses CLI specs', () => {
    expect(parseFaultSpec('5xx=0.02,drop=0.01,nulltotal=0.5,nested,malformed=0.1,hang=0.03,seed=3')).toEqual({
      serverErrorRate: 0.02,
      dropRate: 0.01,
      nullTotalRate: 0.5,
      nestedErrors: true,
      malformedRate: 0.1,
      hangRate: 0.03,
      seed: 3,
    });
    expect(parseLatency('0-150ms')).toEqual({ min: 0, max: 150 });
    expect(parseLatency('40')).toEqual({ min: 40, max: 40 });
    expect(() => parseFaultSpec('boom=1')).toThrow();
  });

  it('plans faults deterministically per request number', () => {
    const f = new FaultInjector({ seed: 1, serverErrorRate: 0.5, requestLatencyMs: { min: 10, max: 20 } });
    expect(f.plan(7, '/item')).toEqual(f.plan(7, '/item'));
    const d = f.plan(3, '/item').requestDelayMs;
    expect(d).toBeGreaterThanOrEqual(10);
    expect(d).toBeLessThanOrEqual(20);
  });
});
