/**
 * A v2 range of one site (FACTS §0: the sales figures): its rows and rollups committed page by
 * page with the range's cursor, and on the last page the range's days marked fetched as of its
 * first request.
 */
import { addDays } from '@/lib/calendar';
import type { TransactionListItemV2 } from '@/lib/sonnys';
import { normalizeTransaction } from '../normalize';
import { PAGE_SIZE } from '../planner';
import { startRange } from '../range-pager';
import type { RunContext } from '../run-context';
import type { ChunkRow } from '../store';

export const TRANSACTIONS_ENDPOINT = 'GET /transaction/version-2';

export async function startTransactions(ctx: RunContext, chunk: ChunkRow, priority: number): Promise<void> {
  const zone = ctx.zoneOf(chunk.siteCode);
  const days: string[] = [];
  for (let d = chunk.fromDay; d <= chunk.toDay; d = addDays(d, 1)) days.push(d);
  return startRange<TransactionListItemV2>(ctx, chunk, priority, {
    endpoint: TRANSACTIONS_ENDPOINT,
    // Rows at the range's last second are left out: whether the API's end bound includes it is
    // not documented, and an undercount only costs the round trip this saves.
    knownRows: await ctx.store.countBetween(ctx.target.key, chunk.siteCode, chunk.startUnix, chunk.endUnix - 1),
    fetch: async (c, page, yieldSignal) => {
      const list = ctx.target.client.transactions.listV2(
        { startDate: c.startUnix, endDate: c.endUnix, site: c.siteCode, limit: PAGE_SIZE, startPage: page },
        ctx.request(yieldSignal),
      );
      for await (const p of list.pages()) return p;
      throw new Error(`no page ${page} for ${c.fromDay} to ${c.toDay}`);
    },
    write: (c, items, { complete, fetchedAt }) => ({
      write: {
        transactions: items.map((item) => normalizeTransaction(item, c.siteCode, zone)),
        // The range's days are fetched as of its first request: conservative for days still in progress.
        ...(complete ? { complete: { kind: 'transactions', chunkId: c.id, siteCode: c.siteCode, days, timeZone: zone, syncedAt: fetchedAt } } : {}),
      },
      rows: items.length,
    }),
  });
}
