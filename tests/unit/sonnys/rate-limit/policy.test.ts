import { describe, expect, it } from 'vitest';
import {
  countHorizon,
  decideAcquire,
  decideBatch,
  effectiveRespondedAt,
  logIsAhead,
  measureUsage,
  resetRecordAfterStep,
  serviceOrder,
  windowFloor,
  type AcquireDecisionInput,
  type RequestRecord,
  type WaiterRecord,
  toleranceAfterWait,
} from '@/lib/sonnys/rate-limit/policy';
import { seededRandom } from './support/fake-clock';

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

describe('the fixed-window rule', () => {
  const w = 15_000;
  const full = { limit: 20, windowMs: w, maxInFlightMs: 60_000 };
  /** A window's 20 requests granted at `g` with floor `g`, answered `answers[i]` ms later (null: in flight). */
  const windowOf = (g: number, answers: (number | null)[]): RequestRecord[] =>
    answers.map((a) => ({ sentAt: g, respondedAt: a === null ? null : g + a, floor: g }));
  const g = now - 20_000;

  it('frees the whole window at once, one window after its first answer, and not a millisecond before', () => {
    const records = windowOf(g, Array.from({ length: 20 }, (_, i) => 40 + i * 13));
    const anchorAt = g + 40 + w;
    const before = measureUsage(records, anchorAt - 1, full);
    expect(before.used).toBe(20);
    // Every slot's lower bound is the anchor, so 20 waiters sleep until the same instant.
    expect(before.freeTimes).toEqual(new Array(20).fill(anchorAt));
    const at = measureUsage(records, anchorAt, full);
    expect(at).toMatchObject({ used: 0, floor: anchorAt });
  });

  it('keeps counting a request still in flight when the window ends, and keeps the floor at its send', () => {
    const records = windowOf(g, [...Array.from({ length: 19 }, (_, i) => 40 + i), null]);
    const usage = measureUsage(records, g + 40 + w, full);
    // The straggler may still arrive, in the next window: it counts, and that window may have
    // opened with it, so the floor stays at the first window's end bound (g + w), not at now.
    expect(usage).toMatchObject({ used: 1, inFlight: 1, floor: g + w });
  });

  it('counts a request answered after the window may have ended, until one window after its answer', () => {
    const records = windowOf(g, [...Array.from({ length: 19 }, () => 40), w + 500]);
    const t = g + 40 + w + 600;
    const usage = measureUsage(records, t, full);
    expect(usage.used).toBe(1);
    expect(usage.freeTimes).toEqual([g + w + 500 + w]);
    expect(measureUsage(records, g + w + 500 + w, full).used).toBe(0);
  });

  it('counts the next window from the floor its requests were granted under', () => {
    // Window 1 granted at the anchor of window 0, answered 30-300 ms later; one window later the
    // first of those answers frees window 1 too, and the requests of window 0 no longer matter.
    const t1 = g + 40 + w;
    const records = [...windowOf(g, new Array(20).fill(40)), ...windowOf(t1, Array.from({ length: 20 }, (_, i) => 30 + i * 10))];
    expect(measureUsage(records, t1 + 29 + w, full).used).toBe(20);
    expect(measureUsage(records, t1 + 30 + w, full)).toMatchObject({ used: 0, floor: t1 + 30 + w });
  });

  it('falls back to one window after each answer when no floor is known (forgotten after a 429 or a clock step)', () => {
    const records = windowOf(g, Array.from({ length: 20 }, (_, i) => 40 + i * 100)).map((r) => ({ ...r, floor: null }));
    const usage = measureUsage(records, g + 40 + w, full);
    expect(usage.used).toBe(19);
    expect(usage.freeTimes.slice(0, 2)).toEqual([g + 140 + w, g + 240 + w]);
  });

  it('in sliding mode (after a 429) ignores anchors: each answer frees its slot one window later', () => {
    const records = windowOf(g, Array.from({ length: 20 }, (_, i) => 40 + i * 100));
    const usage = measureUsage(records, g + 40 + w, full, g + 40 + w + 1);
    expect(usage).toMatchObject({ used: 19, sliding: true, floor: g + 40 });
    expect(decideAcquire({ ...input({}), ...full, now: g + 40 + w, records, slidingUntil: g + 40 + w + 1 })).toEqual({
      kind: 'grant',
      floor: null,
    });
  });

  it('gives the same decision whether or not the records before the horizon are passed', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 200; round++) {
      const t = now + Math.floor(random() * 200_000);
      const records: RequestRecord[] = Array.from({ length: 120 }, () => {
        const sentAt = t - Math.floor(random() * 250_000);
        const answer = random() < 0.1 ? null : sentAt + Math.floor(random() * (random() < 0.1 ? 90_000 : 400));
        const floor = random() < 0.2 ? null : sentAt - Math.floor(random() * w);
        return { sentAt, respondedAt: answer !== null && answer > t ? null : answer, floor };
      });
      const recent = records.filter((r) => r.sentAt > countHorizon(t, full));
      expect(measureUsage(recent, t, full)).toEqual(measureUsage(records, t, full));
    }
  });

  it('never puts the floor above now, nor below now - windowMs', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 200; round++) {
      const t = now + Math.floor(random() * 100_000);
      const records: RequestRecord[] = Array.from({ length: 60 }, () => {
        const sentAt = t - Math.floor(random() * 60_000);
        const answer = random() < 0.2 ? null : Math.min(t, sentAt + Math.floor(random() * 20_000));
        return { sentAt, respondedAt: answer, floor: sentAt - Math.floor(random() * w) };
      });
      const floor = windowFloor(records, t, full);
      expect(floor).toBeLessThanOrEqual(t);
      expect(floor).toBeGreaterThanOrEqual(t - w);
    }
  });
});

describe('a batch of one process\'s waiters', () => {
  it('grants the free slots in service order, keeping the place of another process\'s waiter ahead', () => {
    const waiter = (id: string, priority: 'interactive' | 'background', enqueuedAt: number): WaiterRecord => ({ id, priority, enqueuedAt });
    const other = waiter('other', 'background', now - 100);
    const batch = [
      waiter('b1', 'background', now - 50),
      waiter('b2', 'background', now - 40),
      waiter('b3', 'background', now - 30),
      waiter('i1', 'interactive', now - 10),
      waiter('i2', 'interactive', now - 5),
    ];
    const { self: _self, ...base } = input({ records: [{ sentAt: now - 100, respondedAt: null, floor: now - 100 }] });
    const decisions = decideBatch({ ...base, waiters: [other], batch });
    // 2 slots free: both interactive waiters jump the queue; 'other' keeps the next place.
    expect(decisions).toEqual([
      { id: 'i1', decision: { kind: 'grant', floor: now - 100 } },
      { id: 'i2', decision: { kind: 'grant', floor: now - 100 } },
      { id: 'b1', decision: { kind: 'wait', waitUntil: now + 15_000, position: 1, used: 3 } },
      { id: 'b2', decision: { kind: 'wait', waitUntil: now + 15_000, position: 2, used: 3 } },
      // A fourth place needs a slot taken in this window to free again: one window later.
      { id: 'b3', decision: { kind: 'wait', waitUntil: now + 30_000, position: 3, used: 3 } },
    ]);
  });
});

describe('clock steps', () => {
  it('widens the tolerance only by a lock wait beyond half of it, so a slow lock is never read as a step', () => {
    expect(toleranceAfterWait(250, 0)).toBe(250);
    expect(toleranceAfterWait(250, 125)).toBe(250);
    expect(toleranceAfterWait(250, 600)).toBe(725);
  });

  it('sees a stamp later than now by more than the tolerance, not one within it', () => {
    const records: RequestRecord[] = [{ sentAt: now + 250, respondedAt: null, floor: now }];
    expect(logIsAhead(records, [], now, 250)).toBe(false);
    expect(logIsAhead(records, [], now, 249)).toBe(true);
    expect(logIsAhead([], [now + 1_000], now, 250)).toBe(true);
    expect(logIsAhead([{ sentAt: now - 10, respondedAt: now + 3_600_000, floor: null }], [], now, 250)).toBe(true);
  });

  it('resets a record to stamps no later than now, without a floor, re-stamping one in flight', () => {
    expect(resetRecordAfterStep({ sentAt: now + 5_000, respondedAt: now + 5_100, floor: now + 4_000 }, now)).toEqual({
      sentAt: now,
      respondedAt: now,
      floor: null,
    });
    expect(resetRecordAfterStep({ sentAt: now - 500, respondedAt: now - 400, floor: now - 600 }, now)).toEqual({
      sentAt: now - 500,
      respondedAt: now - 400,
      floor: null,
    });
    // In flight since long ago by the old clock: it counts for maxInFlightMs from the reset.
    expect(resetRecordAfterStep({ sentAt: now - 7_200_000, respondedAt: null, floor: now - 7_200_000 }, now)).toEqual({
      sentAt: now,
      respondedAt: null,
      floor: null,
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
