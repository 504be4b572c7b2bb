/**
 * The wash list of one site's days (`GET /transaction/type/wash`, FACTS §0.1 and §4.3): every
 * listed transaction is a wash; once the whole list is read, every Completed row of those days
 * that was stored before the list was read and is not on it is not a wash. A row stored later
 * (a late upload) keeps no flag until the next list, so a wash is never marked "not a wash" for
 * missing from an older snapshot.
 *
 * Before its first request the range is narrowed to the days that still have unclassified rows
 * (a recheck that brought nothing new costs no request at all).
 */
import { localDayRange, type TransactionListItem } from '@/lib/sonnys';
import { PAGE_SIZE } from '../planner';
import { startRange } from '../range-pager';
import type { RunContext } from '../run-context';
import type { ChunkRow } from '../store';

export const WASHES_ENDPOINT = 'GET /transaction/type/wash';

export async function startWashes(ctx: RunContext, chunk: ChunkRow, priority: number): Promise<void> {
  if (chunk.nextPage === 1 && chunk.firstFetchedAt === null) {
    const days = await ctx.store.unclassifiedDays(ctx.target.key, chunk.siteCode, chunk.fromDay, chunk.toDay);
    if (!days.length) {
      await ctx.store.finishChunk(chunk.id, ctx.now());
      chunk.status = 'done';
      ctx.chunkDone(chunk);
      return;
    }
    const fromDay = days[0]!;
    const toDay = days.at(-1)!;
    if (fromDay !== chunk.fromDay || toDay !== chunk.toDay) {
      const range = localDayRange(fromDay, toDay, ctx.zoneOf(chunk.siteCode));
      // Never past now: the API refuses future timestamps (FACTS §3 Q10).
      const narrowed = { fromDay, toDay, startUnix: range.startDate, endUnix: Math.min(range.endDate, chunk.endUnix) };
      await ctx.store.narrowChunk(chunk.id, narrowed);
      Object.assign(chunk, narrowed);
    }
  }
  await startRange<TransactionListItem>(ctx, chunk, priority, {
    endpoint: WASHES_ENDPOINT,
    fetch: async (c, page, yieldSignal) => {
      const list = ctx.target.client.transactions.listByType(
        'wash',
        { startDate: c.startUnix, endDate: c.endUnix, site: c.siteCode, limit: PAGE_SIZE, startPage: page },
        ctx.request(yieldSignal),
      );
      for await (const p of list.pages()) return p;
      throw new Error(`no page ${page} of the wash list for ${c.fromDay} to ${c.toDay}`);
    },
    write: (c, items, { complete, fetchedAt }) => ({
      write: {
        flags: items.map((i) => ({ transId: i.transId, isWash: true })),
        ...(complete ? { complete: { kind: 'washes', chunkId: c.id, siteCode: c.siteCode, fromDay: c.fromDay, toDay: c.toDay, listedAt: fetchedAt } } : {}),
      },
      // Flags, not transactions: the run's transaction count is for rows stored.
      rows: 0,
    }),
  });
}
