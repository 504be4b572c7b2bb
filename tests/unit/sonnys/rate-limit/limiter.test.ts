import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SharedRateLimiter, type SharedRateLimiterOptions } from '@/lib/sonnys/rate-limit/limiter';
import type { RateLimitStore } from '@/lib/sonnys/rate-limit/store';
import type { Permit, Priority } from '@/lib/sonnys/rate-limit/types';
import { FakeClock, settle } from './support/fake-clock';
import { dropPostgresFixture, storeFixtures, type StoreEnv } from './support/stores';

const API = 'api-1';
const WINDOW = 15_000;

interface Tracked<T> {
  done: boolean;
  value?: T;
  error?: unknown;
  promise: Promise<T>;
}

function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked: Tracked<T> = { done: false, promise };
  promise.then(
    (value) => Object.assign(tracked, { done: true, value }),
    (error: unknown) => Object.assign(tracked, { done: true, error }),
  );
  return tracked;
}

afterAll(dropPostgresFixture);

describe.each(storeFixtures)('SharedRateLimiter with $name', (fixture) => {
  let clock: FakeClock;
  let env: StoreEnv;
  let t0: number;

  beforeEach(async () => {
    clock = new FakeClock();
    t0 = clock.now();
    env = await fixture.create();
  });
  afterEach(() => env.dispose());

  function limiter(options: Partial<SharedRateLimiterOptions> & { store?: RateLimitStore } = {}) {
    return new SharedRateLimiter({ store: env.store, clock, blockJitterMs: 0, ...options });
  }

  async function takeAll(l: SharedRateLimiter, n: number, priority: Priority = 'background'): Promise<Permit[]> {
    const permits: Permit[] = [];
    for (let i = 0; i < n; i++) permits.push(await l.acquire(API, { priority }));
    return permits;
  }

  it('grants 20 at once, then holds the 21st while all 20 are in flight', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    expect(permits.map((p) => p.grantedAt)).toEqual(new Array(20).fill(t0));
    const next = track(l.acquire(API));
    await clock.advance(60_000);
    expect(next.done).toBe(false); // in-flight requests count, however long they take
  });

  it('frees a slot exactly windowMs after its response, not after its send', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    await clock.advance(2_000);
    await permits[0]!.release({ status: 200 });
    const respondedAt = clock.now();
    const next = track(l.acquire(API));
    await clock.advance(WINDOW - 1);
    expect(next.done).toBe(false);
    await clock.advance(1);
    expect(next.done).toBe(true);
    expect(next.value!.grantedAt).toBe(respondedAt + WINDOW);
  });

  it('frees every slot of a window together, one window after its first answer', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    const responded: number[] = [];
    for (const permit of permits) {
      await clock.advance(37);
      await permit.release({ status: 200 });
      responded.push(clock.now());
    }
    const next = Array.from({ length: 20 }, () => track(l.acquire(API)));
    await clock.advance(WINDOW - 20 * 37 + 36);
    expect(next.some((n) => n.done)).toBe(false);
    await clock.advance(1);
    // The window the first answer arrived in started before it and has ended: every slot is free.
    expect(next.every((n) => n.done)).toBe(true);
    expect(new Set(next.map((n) => n.value!.grantedAt))).toEqual(new Set([responded[0]! + WINDOW]));
  });

  it('keeps counting a request answered so late that it may have arrived in the next window', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    await clock.advance(50);
    for (const permit of permits.slice(0, 19)) await permit.release({ status: 200 });
    const firstAnswer = clock.now();
    await clock.advance(WINDOW); // the straggler is answered only after the window may have ended
    await permits[19]!.release({ status: 200 });
    const lateAnswer = clock.now();
    const next = Array.from({ length: 20 }, () => track(l.acquire(API)));
    await settle();
    expect(next.filter((n) => n.done).map((n) => n.value!.grantedAt)).toEqual(new Array(19).fill(firstAnswer + WINDOW));
    await clock.advance(lateAnswer + WINDOW - clock.now());
    expect(next.every((n) => n.done)).toBe(true);
  });

  it('treats a request still in flight after maxInFlightMs as answered then (a crashed process)', async () => {
    const l = limiter({ maxInFlightMs: 30_000 });
    await takeAll(l, 20); // never released
    const next = await clock.run(l.acquire(API));
    expect(next.grantedAt).toBe(t0 + 30_000 + WINDOW);
  });

  it('blocks the API ID for a window after a 429, even with free slots', async () => {
    const l = limiter({ blockJitterMs: 400, random: () => 0.5 });
    const [first] = await takeAll(l, 1);
    await clock.advance(120);
    await first!.release({ status: 429, rateLimited: true });
    const blockedAt = clock.now();
    const snapshot = await l.snapshot(API);
    expect(snapshot.blockedUntil).toBe(blockedAt + WINDOW + 200);
    const next = await clock.run(l.acquire(API));
    expect(next.grantedAt).toBe(blockedAt + WINDOW + 200);
  });

  it('treats status 429 as rate limited even without the flag', async () => {
    const l = limiter();
    const [first] = await takeAll(l, 1);
    await first!.release({ status: 429 });
    expect((await l.snapshot(API)).blockedUntil).toBe(t0 + WINDOW);
  });

  it('returns the slot at once when a request was never sent', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    const next = track(l.acquire(API));
    await settle();
    expect(next.done).toBe(false);
    await permits[3]!.release({ notSent: true });
    await settle();
    expect(next.done).toBe(true);
    expect(next.value!.grantedAt).toBe(t0);
  });

  it('ignores a second release of the same permit', async () => {
    const l = limiter();
    const [permit] = await takeAll(l, 1);
    await clock.advance(100);
    await permit!.release({ status: 200 });
    await clock.advance(5_000);
    await permit!.release({ status: 429, rateLimited: true });
    const snapshot = await l.snapshot(API);
    expect(snapshot.blockedUntil).toBeNull();
    expect(snapshot.resetsAt).toBe(t0 + 100 + WINDOW);
  });

  it('serves interactive waiters before queued background ones, FIFO within each', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20, 'background');
    const order: string[] = [];
    const names = ['b1', 'b2', 'i1', 'b3', 'i2'];
    const waiting = names.map((name) =>
      l.acquire(API, { priority: name.startsWith('i') ? 'interactive' : 'background' }).then((p) => {
        order.push(name);
        return p;
      }),
    );
    await settle();
    // Answers after the window may have ended free one slot each, one window later: one grant at a time.
    await clock.advance(WINDOW);
    for (const permit of permits.slice(0, 5)) {
      await clock.advance(1_000);
      await permit.release({ status: 200 });
    }
    await clock.run(Promise.all(waiting));
    expect(order).toEqual(['i1', 'i2', 'b1', 'b2', 'b3']);
  });

  it('gives background work one grant in backgroundEvery while interactive work keeps waiting', async () => {
    const l = limiter({ backgroundEvery: 3 });
    const permits = await takeAll(l, 20, 'interactive');
    const order: string[] = [];
    const names = ['b1', 'b2', 'b3', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
    const waiting = names.map((name) =>
      l.acquire(API, { priority: name.startsWith('i') ? 'interactive' : 'background' }).then((p) => {
        order.push(name);
        return p;
      }),
    );
    await settle();
    await clock.advance(WINDOW);
    for (const permit of permits.slice(0, names.length)) {
      await clock.advance(1_000);
      await permit.release({ status: 200 });
    }
    await clock.run(Promise.all(waiting));
    // The last two grants were interactive, so background goes first, then every third grant.
    expect(order).toEqual(['b1', 'i1', 'i2', 'b2', 'i3', 'i4', 'b3', 'i5', 'i6']);
  });

  it('with backgroundEvery = Infinity, background waits for every interactive waiter', async () => {
    const l = limiter({ backgroundEvery: Number.POSITIVE_INFINITY });
    const permits = await takeAll(l, 20, 'interactive');
    const order: string[] = [];
    const names = ['b1', 'i1', 'i2', 'i3', 'i4', 'i5'];
    const waiting = names.map((name) =>
      l.acquire(API, { priority: name.startsWith('i') ? 'interactive' : 'background' }).then((p) => {
        order.push(name);
        return p;
      }),
    );
    await settle();
    await clock.advance(WINDOW);
    for (const permit of permits.slice(0, names.length)) {
      await clock.advance(1_000);
      await permit.release({ status: 200 });
    }
    await clock.run(Promise.all(waiting));
    expect(order).toEqual(['i1', 'i2', 'i3', 'i4', 'i5', 'b1']);
  });

  it('lets interactive requests queued behind a full queue of background work go out in the next window', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    const granted: { name: string; at: number }[] = [];
    const queue = (name: string, priority: Priority) =>
      l.acquire(API, { priority }).then((p) => granted.push({ name, at: p.grantedAt }));
    const background = Array.from({ length: 40 }, (_, i) => queue(`b${i}`, 'background'));
    await settle();
    const interactive = Array.from({ length: 3 }, (_, i) => queue(`i${i}`, 'interactive'));
    await settle();
    await clock.advance(60);
    for (const permit of permits) await permit.release({ status: 200 });
    await clock.advance(WINDOW);
    // The window's 20 slots freed together; the 3 interactive requests took 3 of them, and the
    // background ones kept their order (backgroundEvery lets one in between).
    const first = granted.filter((g) => g.at === t0 + 60 + WINDOW).map((g) => g.name);
    expect(first).toHaveLength(20);
    expect(first).toEqual(expect.arrayContaining(['i0', 'i1', 'i2']));
    expect(first.filter((n) => n.startsWith('b'))).toEqual(Array.from({ length: 17 }, (_, i) => `b${i}`));
    await clock.run(Promise.all([...background, ...interactive]));
  });

  it('reports a gauge that follows the window: full, then free at once at the bound', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    let snapshot = await l.snapshot(API);
    expect(snapshot).toMatchObject({ used: 20, inFlight: 20, resetsAt: t0 + WINDOW });
    await clock.advance(80);
    for (const permit of permits) await permit.release({ status: 200 });
    snapshot = await l.snapshot(API);
    // The first answer bounds the window's end: every slot frees then.
    expect(snapshot).toMatchObject({ used: 20, inFlight: 0, resetsAt: t0 + 80 + WINDOW });
    await clock.advance(WINDOW);
    expect(await l.snapshot(API)).toMatchObject({ used: 0, resetsAt: null });
  });

  it('after a 429 counts each request until one window after its own answer (the sliding rule)', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    await clock.advance(100);
    await permits[0]!.release({ status: 429 });
    for (const permit of permits.slice(1)) {
      await clock.advance(100);
      await permit.release({ status: 200 });
    }
    // The block ends one window after the 429, when the rejected request's slot frees too; the
    // other 19 answers free their slots one by one, not together at the first one's bound.
    await clock.advance(t0 + 100 + WINDOW - clock.now());
    expect((await l.snapshot(API)).used).toBe(19);
    const next = Array.from({ length: 4 }, () => track(l.acquire(API)));
    await clock.advance(250);
    expect(next.filter((n) => n.done).map((n) => n.value!.grantedAt - t0 - WINDOW)).toEqual([100, 200, 300]);
  });

  it('blocks for one window when the wall clock steps, then grants again without waiting out the step', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    await clock.advance(50);
    for (const permit of permits) await permit.release({ status: 200 });
    clock.step(-3_600_000); // an operator sets the clock back an hour
    const stepped = clock.now();
    const next = track(l.acquire(API));
    await settle();
    expect((await l.snapshot(API)).blockedUntil).toBe(stepped + WINDOW + 250);
    await clock.advance(WINDOW + 249);
    expect(next.done).toBe(false);
    await clock.advance(1);
    expect(next.value!.grantedAt).toBe(stepped + WINDOW + 250);
    clock.step(+7_200_000);
    const forward = clock.now();
    const after = await clock.run(l.acquire(API));
    expect(after.grantedAt).toBe(forward + WINDOW + 250);
  });

  it('resets a clock that steps back without a monotonic face when the log holds stamps from the future', async () => {
    const l = limiter({ clock: clock.wallOnly() });
    const permits = await takeAll(l, 20);
    await clock.advance(50);
    for (const permit of permits) await permit.release({ status: 200 });
    clock.step(-600_000);
    const stepped = clock.now();
    const next = await clock.run(l.acquire(API));
    // Without the reset the answers, stamped 10 minutes "ahead", would hold every slot for 10 minutes.
    expect(next.grantedAt).toBe(stepped + WINDOW + 250);
  });

  it('aborts a wait, removes the waiter, and lets the next one move up', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    const controller = new AbortController();
    const first = track(l.acquire(API, { priority: 'interactive', signal: controller.signal }));
    const second = track(l.acquire(API));
    await settle();
    expect((await l.snapshot(API)).queued).toEqual({ interactive: 1, background: 1 });

    controller.abort();
    await settle();
    expect(first.done).toBe(true);
    expect((first.error as Error).name).toBe('AbortError');
    expect((await l.snapshot(API)).queued).toEqual({ interactive: 0, background: 1 });

    await permits[0]!.release({ status: 200 });
    await clock.advance(WINDOW);
    expect(second.done).toBe(true);
    expect(second.value!.grantedAt).toBe(t0 + WINDOW);
  });

  it('rejects an already aborted signal without taking a slot', async () => {
    const l = limiter();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(l.acquire(API, { signal: controller.signal })).rejects.toThrow('gone');
    expect((await l.snapshot(API)).used).toBe(0);
  });

  it('drops a stale waiter of a dead process so it no longer holds a place', async () => {
    const l = limiter();
    const permits = await takeAll(l, 20);
    // A waiter row from another process that then died: queued ahead (interactive), never refreshed.
    const ghost = await env.store.tryAcquire({
      apiId: API,
      waiters: [{ waiterId: 'ghost', priority: 'interactive', enqueuedAt: clock.now(), permitId: 'ghost-permit' }],
      now: clock.now(),
      limit: 20,
      windowMs: WINDOW,
      maxInFlightMs: 120_000,
      staleWaiterMs: 5_000,
      backgroundEvery: 5,
      clockStepToleranceMs: 250,
      clockStepped: false,
    });
    expect(ghost.map((r) => r.kind)).toEqual(['wait']);
    const mine = track(l.acquire(API));
    await permits[0]!.release({ status: 200 });
    await clock.advance(WINDOW);
    expect(mine.done).toBe(true);
    expect(mine.value!.grantedAt).toBe(t0 + WINDOW);
  });

  it('reports a snapshot a budget gauge can show', async () => {
    const l = limiter();
    const permits = await takeAll(l, 6);
    await clock.advance(200);
    await permits[0]!.release({ status: 200 });
    await permits[1]!.release({ status: 429, rateLimited: true });
    const waiting = track(l.acquire(API, { priority: 'interactive' }));
    await settle();

    let snapshot = await l.snapshot(API);
    expect(snapshot).toEqual({
      apiId: API,
      limit: 20,
      windowMs: WINDOW,
      used: 6,
      inFlight: 4,
      resetsAt: t0 + 200 + WINDOW,
      blockedUntil: t0 + 200 + WINDOW,
      queued: { interactive: 1, background: 0 },
      rateLimited: { lastHour: 1, lastDay: 1 },
      requestsLastHour: 6,
      now: t0 + 200,
    });

    await clock.advance(WINDOW);
    expect(waiting.done).toBe(true);
    await waiting.value!.release({ status: 200 });
    for (const permit of permits.slice(2)) await permit.release({ status: 200 });
    await clock.advance(2 * 3_600_000);
    snapshot = await l.snapshot(API);
    expect(snapshot).toMatchObject({
      used: 0,
      inFlight: 0,
      resetsAt: null,
      blockedUntil: null,
      queued: { interactive: 0, background: 0 },
      rateLimited: { lastHour: 0, lastDay: 1 },
      requestsLastHour: 0,
    });
  });

  it('keeps API IDs apart', async () => {
    const l = limiter();
    await takeAll(l, 20);
    const other = await l.acquire('api-2');
    expect(other.grantedAt).toBe(t0);
    expect((await l.snapshot('api-2')).used).toBe(1);
  });

  it('rolls 429s and requests out of the hour and day figures', async () => {
    const l = limiter({ pruneIntervalMs: 60_000 });
    const [permit] = await takeAll(l, 1);
    await permit!.release({ status: 429 });
    await clock.advance(23 * 3_600_000);
    await (await l.acquire(API)).release({ status: 200 });
    expect((await l.snapshot(API)).rateLimited.lastDay).toBe(1);
    await clock.advance(2 * 3_600_000);
    await (await l.acquire(API)).release({ status: 200 });
    const snapshot = await l.snapshot(API);
    expect(snapshot.rateLimited.lastDay).toBe(0);
    expect(snapshot.requestsLastHour).toBe(1);
  });

  it('rejects options that would break the rule', () => {
    expect(() => limiter({ limit: 0 })).toThrow(RangeError);
    expect(() => limiter({ backgroundEvery: 1 })).toThrow(RangeError);
    expect(() => limiter({ pollIntervalMs: 5_000, staleWaiterMs: 5_000 })).toThrow(RangeError);
    expect(() => limiter({ retentionMs: 1_000 })).toThrow(RangeError);
  });
});
