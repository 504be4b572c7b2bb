/**
 * Retries against a flaky server: injected 500s and dropped connections, from a fixed fault seed so
 * every run meets the same faults. A full list must still come back as exactly truth's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerError } from '@/lib/sonnys';
import type { Simulator } from '@/lib/simulator';
import { DAY, cents, clientFor, dayWindow, recordingFetch, simulator } from './helpers';

describe('retries over 500s and dropped connections', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await simulator({ faults: { seed: 11, serverErrorRate: 0.3, dropRate: 0.1, paths: ['/transaction'] } });
  });
  afterAll(() => sim.close());

  it('still returns exactly truth\'s rows from a full listV2', async () => {
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { fetch, maxRetries: 6 });
    const rows = await client.transactions.listV2({ ...dayWindow(sim, 'JOLIET'), site: 'JOLIET', limit: 25 }).toArray();
    const truth = sim.truth.transactions({ database: 'washu', site: 'JOLIET', day: DAY });
    expect(rows.map((t) => [t.transId, t.transactionStatus, cents(t.total)])).toEqual(truth.map((t) => [t.transId, t.status, t.totalCents]));
    // The faults really happened, and were retried page by page (same offset again).
    expect(exchanges.filter((e) => e.status === 500).length).toBeGreaterThan(0);
    expect(exchanges.filter((e) => e.status === undefined).length).toBeGreaterThan(0);
    const offsets = exchanges.map((e) => Number(e.query.get('offset')));
    expect(new Set(offsets).size).toBe(Math.ceil(truth.length / 25));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('gives up with the last ServerError once the retries are spent', async () => {
    sim.setFaults({ serverErrorRate: 1, paths: ['/transaction'] });
    const { fetch, exchanges } = recordingFetch();
    const client = clientFor(sim, 'washu', { fetch, maxRetries: 2 });
    await expect(client.transactions.listV2({ ...dayWindow(sim, 'JOLIET'), site: 'JOLIET' }).toArray()).rejects.toMatchObject({
      constructor: ServerError,
      status: 500,
      type: 'ServerUnexpectedFailure',
      code: 'SCEC0001',
    });
    expect(exchanges).toHaveLength(3);
    // Paths outside the fault list are untouched.
    await expect(client.sites.list()).resolves.toHaveLength(4);
  });
});
