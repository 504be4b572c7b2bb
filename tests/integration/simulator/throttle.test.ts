import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('throttle: fixed window per API ID, anchored at the first request', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.sim.close();
    h = undefined;
  });

  async function statuses(n: number, db = 'washu'): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await h!.call('/site/list', { db })).status);
    return out;
  }

  it('gives the 21st request in 15 s a 429 RequestRateExceedError (default budget)', async () => {
    h = await harness({ throttle: {}, wallClock: { start: 0, frozen: true } });
    expect(await statuses(20)).toEqual(Array(20).fill(200));
    const r = await h.call('/site/list');
    expect(r.status).toBe(429);
    expect(r.body.type).toBe('RequestRateExceedError');
    h.sim.wallClock.advance(14_999);
    expect((await h.call('/site/list')).status).toBe(429);
    h.sim.wallClock.advance(1);
    expect(await statuses(20)).toEqual(Array(20).fill(200));
    expect((await h.call('/site/list')).status).toBe(429);
  });

  it('opens the window at the first request, not at a clock boundary', async () => {
    h = await harness({ throttle: { limit: 5, windowMs: 500 }, wallClock: { start: 10_000, frozen: true } });
    h.sim.wallClock.advance(450);
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 200]);
    // 100 ms later a boundary-aligned counter would have reset; the anchored one has not.
    h.sim.wallClock.advance(100);
    expect(await statuses(1)).toEqual([429]);
    h.sim.wallClock.advance(400);
    expect(await statuses(6)).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('does not let rejected requests extend or refill the window by default', async () => {
    h = await harness({ throttle: { limit: 5, windowMs: 500 }, wallClock: { start: 0, frozen: true } });
    await statuses(5);
    for (let i = 0; i < 10; i++) {
      h.sim.wallClock.advance(40);
      expect((await h.call('/site/list')).status).toBe(429);
    }
    h.sim.wallClock.advance(100); // 500 ms after the first request
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('can count rejected requests (the [?] case) without moving the window start', async () => {
    h = await harness({ throttle: { limit: 3, windowMs: 500, countRejected: true, retryAfterHeader: true }, wallClock: { start: 0, frozen: true } });
    await statuses(3);
    const r = await h.call('/site/list');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    h.sim.wallClock.advance(500);
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
  });

  it('keeps one budget per API ID', async () => {
    h = await harness({ throttle: { limit: 2, windowMs: 500 }, wallClock: { start: 0, frozen: true } });
    expect(await statuses(3, 'washu')).toEqual([200, 200, 429]);
    expect(await statuses(2, 'icon')).toEqual([200, 200]);
  });

  it('counts every endpoint and every outcome against the same budget', async () => {
    h = await harness({ throttle: { limit: 3, windowMs: 500 }, wallClock: { start: 0, frozen: true } });
    expect((await h.call('/transaction?limit=0')).status).toBe(422);
    expect((await h.call('/customer/999:999')).status).toBe(404);
    expect((await h.call('/item?limit=1')).status).toBe(200);
    expect((await h.call('/employee')).status).toBe(429);
  });

  it('counts a request at its arrival after the request leg, not when it reached the socket', async () => {
    h = await harness({ throttle: { limit: 1, windowMs: 1_000 }, wallClock: { start: 0, frozen: true } });
    expect(await statuses(1)).toEqual([200]); // opens the window [0, 1000)
    h.sim.setFaults({ requestLatencyMs: { min: 400, max: 400 } });
    const late = h.call('/site/list');
    // Sent (and on the server's socket) inside the first window; the window ends during its leg.
    await new Promise((r) => setTimeout(r, 150));
    h.sim.wallClock.advance(1_000);
    expect((await late).status).toBe(200);
    // It opened the next window at its arrival (wall 1000), so that window holds it and nothing more.
    h.sim.setFaults({});
    expect(await statuses(1)).toEqual([429]);
    h.sim.wallClock.advance(999);
    expect(await statuses(1)).toEqual([429]);
    h.sim.wallClock.advance(1);
    expect(await statuses(1)).toEqual([200]);
  });

  it('works on real time: 5 per 500 ms', async () => {
    h = await harness({ throttle: { limit: 5, windowMs: 500 } });
    const t0 = Date.now();
    expect(await statuses(6)).toEqual([200, 200, 200, 200, 200, 429]);
    await new Promise((r) => setTimeout(r, Math.max(0, 520 - (Date.now() - t0))));
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 200]);
  });
});
