/**
 * A flaky network, every fault at once (issue 13): 10% 5xx, 5% dropped connections, 5% bodies cut
 * short, 3% requests that never get an answer. The sync still ends `succeeded` with exactly the
 * simulator's truth, and spends no request beyond the retries the faults called for.
 *
 * One database with one page in flight at a time: the simulator draws each request's faults from
 * its seed and arrival number, so the same requests meet the same faults on every run and the
 * test cannot flake on a rare unlucky streak (a page failing all five attempts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/postgres';
import { compareWithTruth, startHarness, type DialectHarness as Harness } from './helpers';

const T0 = Date.parse('2026-03-10T18:00:00Z');
const MAX_RETRIES = 4; // the SDK's default bound

type Kind = 'ok' | '5xx' | 'dropped' | 'hung' | 'truncated' | 'other';
interface Attempt {
  url: string;
  kind: Kind;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** fetch, recording every attempt the SDK makes and what became of it. */
function recordingFetch(attempts: Attempt[]): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    try {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      let kind: Kind = response.status >= 500 ? '5xx' : response.status === 200 ? 'ok' : 'other';
      if (kind === 'ok') {
        try {
          JSON.parse(text);
        } catch {
          kind = 'truncated';
        }
      }
      attempts.push({ url, kind });
      return response;
    } catch (error) {
      attempts.push({ url, kind: init?.signal?.aborted ? 'hung' : 'dropped' });
      throw error;
    }
  };
}

describe.each(DIALECTS)('sync through every fault at once on %s', (dialect) => {
  it('exits succeeded with the exact truth, each request within the retry bound, no request wasted', async () => {
    const attempts: Attempt[] = [];
    h = await startHarness({
      dialect,
      sim: {
        clock: { start: T0, frozen: true },
        faults: { seed: 13, serverErrorRate: 0.1, dropRate: 0.05, malformedRate: 0.05, malformedKinds: ['truncated'], hangRate: 0.03 },
      },
      sync: { backfillDays: 7, concurrency: 1 },
      client: { timeoutMs: 1_000, maxRetries: MAX_RETRIES, retry: { baseDelayMs: 20, maxDelayMs: 200 }, fetch: recordingFetch(attempts) },
    });
    const outcome = await (await h.runtime.manager.trigger('washu', 'cli')).done;
    expect(outcome.message).toMatch(/^Synced /);
    expect(outcome.status).toBe('succeeded');

    const rows = await compareWithTruth(h, 7, ['washu']);
    expect(rows.length).toBe(4 * 7);
    for (const r of rows) expect({ key: r.key, ...r.stored }).toEqual({ key: r.key, ...r.truth });

    // Every kind of fault happened, and none reached the database.
    const count = (kind: Kind) => attempts.filter((a) => a.kind === kind).length;
    for (const kind of ['5xx', 'dropped', 'hung', 'truncated'] as const) expect(count(kind), kind).toBeGreaterThan(0);
    expect(count('other')).toBe(0);

    // Per request: at most 1 + MAX_RETRIES attempts, and exactly one that succeeded (no page fetched twice).
    const byUrl = new Map<string, Attempt[]>();
    for (const a of attempts) byUrl.set(a.url, [...(byUrl.get(a.url) ?? []), a]);
    for (const [url, list] of byUrl) {
      expect(list.length, url).toBeLessThanOrEqual(1 + MAX_RETRIES);
      expect(list.filter((a) => a.kind === 'ok').length, url).toBe(1);
      expect(list.at(-1)!.kind, url).toBe('ok');
    }
    // The run's count is the pages it needed; every other attempt was a fault being retried.
    expect(outcome.progress.doneRequests).toBe(byUrl.size);
    expect(attempts.length).toBe(byUrl.size + count('5xx') + count('dropped') + count('hung') + count('truncated'));
  });
});
