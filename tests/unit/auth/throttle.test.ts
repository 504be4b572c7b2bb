import { describe, expect, it } from 'vitest';
import { THROTTLE, throttleDecision, throttleMessage } from '@/lib/auth/throttle';

const MIN = 60_000;
const now = 1_800_000_000_000;
const times = (n: number, start: number, step = 1000) => Array.from({ length: n }, (_, i) => start + i * step);

describe('the sign-in throttle', () => {
  it('allows four wrong passwords for an email and refuses at the fifth', () => {
    expect(throttleDecision({ email: times(4, now - 5 * MIN), address: [] }, now)).toEqual({ blocked: false });
    const decision = throttleDecision({ email: times(5, now - 5 * MIN), address: [] }, now);
    // The oldest of the five leaves the 15-minute window 10 minutes from now.
    expect(decision).toEqual({ blocked: true, retryAt: now - 5 * MIN + THROTTLE.windowMs, minutes: 10 });
  });

  it('allows nineteen from an address and refuses at the twentieth, whatever the emails', () => {
    expect(throttleDecision({ email: [], address: times(19, now - MIN) }, now).blocked).toBe(false);
    expect(throttleDecision({ email: [], address: times(20, now - MIN) }, now)).toMatchObject({ blocked: true, minutes: 14 });
  });

  it('forgets failures older than 15 minutes', () => {
    expect(throttleDecision({ email: times(5, now - THROTTLE.windowMs - 10_000), address: [] }, now).blocked).toBe(false);
    // Four old ones and one new: still under the limit.
    const mixed = [...times(4, now - 16 * MIN), now - 1000];
    expect(throttleDecision({ email: mixed, address: [] }, now).blocked).toBe(false);
  });

  it('blocks until the failure that holds the count at the limit leaves the window, rounding minutes up', () => {
    const failures = [now - 14 * MIN - 30_000, now - 3 * MIN, now - 2 * MIN, now - MIN, now - 1000, now - 500];
    // Six failures: the second oldest (3 minutes ago) keeps five in the window until 12 minutes from now.
    expect(throttleDecision({ email: failures, address: [] }, now)).toEqual({ blocked: true, retryAt: now + 12 * MIN, minutes: 12 });
    expect(throttleDecision({ email: times(5, now - THROTTLE.windowMs + 1000), address: [] }, now)).toMatchObject({ blocked: true, minutes: 1 });
  });

  it('takes the later end when both the email and the address are over', () => {
    const decision = throttleDecision({ email: times(5, now - 10 * MIN), address: times(20, now - 2 * MIN, 100) }, now);
    expect(decision).toMatchObject({ blocked: true, retryAt: now - 2 * MIN + THROTTLE.windowMs, minutes: 13 });
  });

  it('says how long to wait in a sentence', () => {
    expect(throttleMessage(12)).toBe('Too many attempts; try again in 12 minutes.');
    expect(throttleMessage(1)).toBe('Too many attempts; try again in 1 minute.');
  });
});
