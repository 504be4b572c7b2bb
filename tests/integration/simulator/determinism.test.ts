import { describe, expect, it } from 'vitest';
import { harness, NOW, sec } from './helpers';

const PATHS = [
  `/transaction/version-2?site=JOLIET&startDate=${sec(NOW) - 86_400 * 3}&endDate=${sec(NOW)}&limit=100&offset=2`,
  `/transaction?startDate=${sec(NOW) - 86_400}&limit=100&offset=3`,
  '/transaction/type/recurring?limit=50',
  '/customer?limit=20&offset=4',
  '/employee/102/clock-entries?startDate=2026-03-01&endDate=2026-03-10',
  '/recurring/account/list?limit=20',
  '/site/list',
  '/item?limit=100',
];

async function snapshot(seed: number): Promise<string[]> {
  const h = await harness({ seed });
  try {
    const out: string[] = [];
    for (const p of PATHS) out.push((await h.call(p)).text);
    const id = JSON.parse(out[0]!).data.transactions[5].transId as string;
    out.push((await h.call(`/transaction/${id}`)).text);
    return out;
  } finally {
    await h.sim.close();
  }
}

describe('determinism', () => {
  it('serves the same bytes for the same seed and clock', async () => {
    const a = await snapshot(7);
    const b = await snapshot(7);
    expect(a).toEqual(b);
    for (const t of a) expect(t.startsWith('{"data":')).toBe(true);
  });

  it('serves different data for another seed', async () => {
    const a = await snapshot(7);
    const c = await snapshot(8);
    expect(a[0]).not.toEqual(c[0]);
  });

  it('is independent of generation order and cache eviction', async () => {
    const small = await harness({ seed: 7, cacheCapacity: 2 });
    const big = await harness({ seed: 7 });
    try {
      const p = PATHS[0]!;
      const first = (await big.call(p)).text;
      await small.call('/transaction/version-2?site=SHOREWOOD&limit=1');
      await small.call(`/transaction?site=ROMEOVILLE&startDate=${sec(NOW) - 86_400 * 20}&limit=1`);
      expect((await small.call(p)).text).toBe(first);
    } finally {
      await small.sim.close();
      await big.sim.close();
    }
  });
});
