import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('fault injection', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.sim.close();
    h = undefined;
  });

  it('answers 500 ServerUnexpectedFailure with a code', async () => {
    h = await harness({ faults: { serverErrorRate: 1 } });
    const r = await h.call('/site/list');
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ type: 'ServerUnexpectedFailure', message: expect.any(String), code: 'SCEC0001' });
  });

  it('drops connections', async () => {
    h = await harness({ faults: { dropRate: 1 } });
    await expect(h.call('/site/list')).rejects.toThrow();
  });

  it('nulls list totals', async () => {
    h = await harness({ faults: { nullTotalRate: 1 } });
    const r = await h.call('/transaction/version-2?limit=5');
    expect(r.body.data.total).toBeNull();
    expect(r.body.data.transactions).toHaveLength(5);
    expect((await h.call('/site/list')).body.data).not.toHaveProperty('total');
  });

  it('nests error bodies', async () => {
    h = await harness({ faults: { nestedErrors: true } });
    const r = await h.call('/transaction?limit=0');
    expect(r.status).toBe(422);
    expect(r.body.error.type).toBe('PayloadValidationError');
    expect(r.body.error.messages[0]).toMatch(/^limit:/);
    expect(r.body.type).toBeUndefined();
  });

  it('malforms pages: truncated JSON or an item that breaks the schema', async () => {
    h = await harness({ faults: { malformedRate: 1, malformedKinds: ['truncated'] } });
    const t = await h.call('/transaction/version-2?limit=5');
    expect(t.status).toBe(200);
    expect(t.body).toBeUndefined();
    expect(() => JSON.parse(t.text)).toThrow();
    h.sim.setFaults({ malformedRate: 1, malformedKinds: ['schema'] });
    const s = await h.call('/transaction/version-2?limit=5');
    expect(s.body.data.transactions[0].transNumber).toEqual({ unexpected: true });
    expect(typeof s.body.data.transactions[1].transNumber).toBe('number');
  });

  it('hangs: accepts the request, counts it against the throttle, and never answers', async () => {
    h = await harness({ faults: { hangRate: 1 }, throttle: { limit: 2, windowMs: 60_000 } });
    const hung = fetch(`${h.sim.url}/site/list`, { headers: h.creds(), signal: AbortSignal.timeout(300) });
    await expect(hung).rejects.toThrow(/timeout|aborted/i);
    // It was counted: one more request fills the window, the third is refused at once.
    h.sim.setFaults({});
    expect((await h.call('/site/list')).status).toBe(200);
    expect((await h.call('/site/list')).status).toBe(429);
    // A hang still open when the simulator closes does not keep it from closing.
    h.sim.resetThrottle();
    h.sim.setFaults({ hangRate: 1 });
    const pending = fetch(`${h.sim.url}/site/list`, { headers: h.creds() }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await h.sim.close();
    h = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });

  it('adds latency on each leg and limits faults to chosen paths', async () => {
    h = await harness({ faults: { requestLatencyMs: { min: 60, max: 60 }, responseLatencyMs: { min: 60, max: 60 }, serverErrorRate: 1, paths: ['/transaction'] } });
    const t0 = Date.now();
    expect((await h.call('/site/list')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(115);
    expect((await h.call('/transaction?limit=1')).status).toBe(500);
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const x = await harness({ faults: { serverErrorRate: 0.3, seed } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 30; i++) out.push((await x.call('/site/list')).status);
        return out;
      } finally {
        await x.sim.close();
      }
    };
    const a = await run(5);
    expect(a).toEqual(await run(5));
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(a).not.toEqual(await run(6));
  });
});
