/**
 * Issue 15, fresh numbers first: Sync now during a long backfill has the server's next windows
 * spent on today's and yesterday's sales, not on the backfill requests already queued at the
 * limiter, with no request wasted. The backfill then finishes with the exact truth. (How soon, as
 * a ratio to the physical minimum, is `npm run bench -- fresh`.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toLocalDate } from '@/lib/calendar';
import { localDayRange } from '@/lib/sonnys';
import { DIALECTS } from '../../support/postgres';
import { compareWithTruth, scalar, startHarness, type DialectHarness as Harness } from './helpers';

const T0 = Date.UTC(2026, 2, 11, 20, 0, 0); // a weekday afternoon in Chicago
const LIMIT = 10;
const WINDOW_MS = 1_000;

interface Arrival {
  at: number;
  url: string;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(DIALECTS)('Sync now during a backfill on %s', (dialect) => {
  it("spends the next windows on today's and yesterday's sales, then finishes the backfill exactly", async () => {
    const arrivals: Arrival[] = [];
    h = await startHarness({
      dialect,
      sim: {
        clock: { start: T0 },
        throttle: { limit: LIMIT, windowMs: WINDOW_MS, onArrival: (_apiId, at, decision, url) => void (decision.allowed && arrivals.push({ at, url })) },
      },
      env: { SONNYS_RATE_LIMIT: `${LIMIT}/${WINDOW_MS}ms` },
      sync: { backfillDays: 35 },
    });
    const harness = h;
    const zone = 'America/Chicago';
    const backfill = await harness.runtime.manager.trigger('washu', 'cli');

    // A backfill longer than 31 days goes in three parts: the last two days, the rest of the week,
    // then older history. Wait until the backfill is past its first screen and a window has just been filled (every
    // request granted in it has arrived), so nothing of the backfill is in flight at the press.
    const windowFull = () => {
      let start = -Infinity;
      let used = 0;
      for (const a of arrivals) {
        if (a.at >= start + WINDOW_MS) [start, used] = [a.at, 0];
        used++;
      }
      return used === LIMIT && Date.now() < start + WINDOW_MS - 200;
    };
    const sites = harness.sim.world.databases.find((d) => d.key === 'washu')!.sites.filter((s) => !s.isVirtual).map((s) => s.code);
    const firstScreenIn = async () => {
      const today = toLocalDate(harness.sim.clock.now(), zone);
      const days = await scalar(
        harness.db,
        "SELECT count(*) FROM site_coverage WHERE database_key = 'washu' AND local_day BETWEEN ? AND ? AND synced_at IS NOT NULL",
        addDays(today, -6),
        today,
      );
      return days === 7 * sites.length;
    };
    await expect.poll(async () => (await firstScreenIn()) && windowFull(), { timeout: 60_000, interval: 5 }).toBe(true);
    const seen = arrivals.length;
    void harness.runtime.manager.trigger('washu', 'manual');

    // The fresh ranges: one per site, yesterday and today, added by the press.
    type Chunk = { siteCode: string; startUnix: number; endUnix: number; rows: number; status: string };
    const freshChunks = () =>
      harness.db.sql.all<Chunk>(
        'SELECT site_code AS "siteCode", start_unix AS "startUnix", end_unix AS "endUnix", rows, status FROM sync_chunks WHERE run_id = ? AND ordinal >= 1000000',
        [backfill.runId],
      );
    await expect
      .poll(
        async () => {
          const fresh = await freshChunks();
          return fresh.length > 0 && fresh.every((c) => c.status === 'done');
        },
        { timeout: 60_000, interval: 20 },
      )
      .toBe(true);
    const chunks = await freshChunks();
    const today = toLocalDate(harness.sim.clock.now(), zone);
    expect(chunks.map((c) => c.siteCode).sort()).toEqual([...sites].sort());
    const range = localDayRange(addDays(today, -1), today, zone);
    expect(chunks.every((c) => c.startUnix === range.startDate)).toBe(true);

    const isFresh = (a: Arrival) => {
      const q = new URL(a.url, 'http://sim').searchParams;
      return a.url.includes('/transaction/version-2') && chunks.some((c) => Number(q.get('startDate')) === c.startUnix && Number(q.get('endDate')) === c.endUnix && q.get('site') === c.siteCode);
    };
    const after = arrivals.slice(seen);
    const lastFresh = after.findLastIndex(isFresh);
    const freshRequests = after.filter(isFresh).length;
    // Exactly a page per 100 rows of each range: nothing fetched twice, nothing speculative wasted.
    expect(freshRequests).toBe(chunks.reduce((n, c) => n + Math.max(1, Math.ceil(c.rows / 100)), 0));
    // Not one backfill request got to the server before the last of the fresh ones.
    expect(lastFresh).toBeGreaterThanOrEqual(0);
    expect(after.slice(0, lastFresh + 1).filter((a) => !isFresh(a))).toEqual([]);

    // The backfill goes on afterwards and ends with every day exact.
    expect((await backfill.done).status).toBe('succeeded');
    for (const r of await compareWithTruth(harness, 35, ['washu'])) expect({ key: r.key, ...r.stored }).toEqual({ key: r.key, ...r.truth });
  }, 240_000);
});
