import { describe, expect, it } from 'vitest';
import {
  decideAcquire,
  effectiveRespondedAt,
  measureUsage,
  serviceOrder,
  type AcquireDecisionInput,
  type WaiterRecord,
} from '@/lib/sonnys/rate-limit/policy';

const params = { limit: 3, windowMs: 15_000, maxInFlightMs: 60_000 };
const now = 1_000_000;

function input(overrides: Partial<AcquireDecisionInput>): AcquireDecisionInput {
  return {
    ...params,
    now,
    records: [],
    waiters: [],
    self: { id: 'me', priority: 'background', enqueuedAt: now },
    recentGrants: [],
    blockedUntil: null,
    slidingUntil: null,
    backgroundEvery: 5,
    ...overrides,
  };
}

describe('budget arithmetic', () => {
  it('counts in-flight requests and those answered within the last window, exclusively at the edge', () => {
    const usage = measureUsage(
      [
        { sentAt: now - 20_000, respondedAt: now - 15_000, floor: null }, // freed exactly now
        { sentAt: now - 20_000, respondedAt: now - 14_999, floor: null },
        { sentAt: now - 100, respondedAt: null, floor: null },
      ],
      now,
      params,
    );
    expect(usage).toEqual({ used: 2, inFlight: 1, floor: now - 15_000, sliding: false, freeTimes: [now + 1, now + 15_000] });
  });

  it('expires a request abandoned in flight at sentAt + maxInFlightMs', () => {
    expect(effectiveRespondedAt({ sentAt: now - 60_000, respondedAt: null, floor: null }, now, 60_000)).toBe(now);
    expect(effectiveRespondedAt({ sentAt: now - 59_999, respondedAt: null, floor: null }, now, 60_000)).toBeNull();
    expect(effectiveRespondedAt({ sentAt: now - 90_000, respondedAt: now, floor: null }, now, 60_000)).toBe(now - 30_000);
  });

  it('computes when the n-th waiter can go, whole windows later beyond the limit', () => {
    const records = [
      { sentAt: now - 1_000, respondedAt: now - 900, floor: null },
      { sentAt: now - 1_000, respondedAt: now - 500, floor: null },
      { sentAt: now - 1_000, respondedAt: null, floor: null },
    ];
    const ahead: WaiterRecord[] = Array.from({ length: 4 }, (_, i) => ({
      id: `w${i}`,
      priority: 'background',
      enqueuedAt: now - 10 + i,
    }));
    const decision = decideAcquire(input({ records, waiters: ahead }));
    // Slots free at now+14100, now+14500, >= now+15000. Positions 0-2 take them; positions 3-5 reuse
    // them one window later, so position 4 goes no earlier than the second slot + one window.
    expect(decision).toEqual({ kind: 'wait', waitUntil: now + 14_500 + 15_000, position: 4, used: 3 });
  });

  it('grants several waiters in the same instant when several slots are free, not only the head', () => {
    const ahead: WaiterRecord[] = [{ id: 'a', priority: 'background', enqueuedAt: now - 5 }];
    expect(decideAcquire(input({ waiters: ahead }))).toEqual({ kind: 'grant', floor: now });
    const full: WaiterRecord[] = [...ahead, { id: 'b', priority: 'background', enqueuedAt: now - 4 }, { id: 'c', priority: 'background', enqueuedAt: now - 3 }];
    expect(decideAcquire(input({ waiters: full }))).toMatchObject({ kind: 'wait', position: 3 });
  });

  it('waits for a 429 block even with free slots', () => {
    expect(decideAcquire(input({ blockedUntil: now + 5_000 }))).toEqual({
      kind: 'wait',
      waitUntil: now + 5_000,
      position: 0,
      used: 0,
    });
  });
});

describe('service order', () => {
  const w = (id: string, priority: 'interactive' | 'background', enqueuedAt: number): WaiterRecord => ({
    id,
    priority,
    enqueuedAt,
  });

  it('puts interactive first, FIFO within a priority, ties broken by id', () => {
    const order = serviceOrder(
      [w('b2', 'background', 2), w('i2', 'interactive', 5), w('b1', 'background', 1), w('i1', 'interactive', 5)],
      [],
      Number.POSITIVE_INFINITY,
    );
    expect(order.map((x) => x.id)).toEqual(['i1', 'i2', 'b1', 'b2']);
  });

  it('gives background one turn in backgroundEvery, continuing the streak from the log', () => {
    const waiters = [w('b1', 'background', 0), w('b2', 'background', 1), ...[1, 2, 3, 4, 5].map((n) => w(`i${n}`, 'interactive', 10 + n))];
    expect(serviceOrder(waiters, ['interactive'], 3).map((x) => x.id)).toEqual(['i1', 'b1', 'i2', 'i3', 'b2', 'i4', 'i5']);
  });
});
