/**
 * Putting a run's chunks on its work queue, in the order Washboard wants the data: groups, then
 * days ago (most recent first), then kind. The first two groups go alone (see WorkQueue): Sync
 * now's fresh numbers, and the first screen's sales (the last week), each take whole windows of
 * the budget until they are in. KPI data of a site's days waits for the v2 ranges that bring them.
 */
import { daysBetween, toLocalDate } from '@/lib/calendar';
import { FIRST_SCREEN_DAYS } from './planner';
import { chunkTag, type RunContext } from './run-context';
import type { ChunkKind, ChunkRow } from './store';
import { startEmployees, startLabor } from './work/labor';
import { startMemberships } from './work/memberships';
import { startTransactions } from './work/transactions';
import { startWashes } from './work/washes';

/** Work order: lower first. */
export const GROUP = { freshen: 0, firstScreen: 1, recentKpis: 2, sales: 3, kpis: 4 } as const;
/** Jobs below this priority go alone on the queue. */
export const EXCLUSIVE_BELOW = GROUP.recentKpis * 1e6;
const KIND_ORDER: Record<ChunkKind, number> = { transactions: 0, washes: 0.1, memberships: 0.2, labor: 0.3 };

function priorityOf(chunk: Pick<ChunkRow, 'kind' | 'toDay'>, today: string, trailingDays: number): number {
  const daysAgo = Math.max(0, daysBetween(chunk.toDay, today));
  const group =
    chunk.kind === 'transactions' ? (daysAgo < FIRST_SCREEN_DAYS ? GROUP.firstScreen : GROUP.sales) : daysAgo < trailingDays ? GROUP.recentKpis : GROUP.kpis;
  return group * 1e6 + daysAgo + KIND_ORDER[chunk.kind];
}

/** Queues every pending chunk at its priority. */
export async function schedule(ctx: RunContext, chunks: readonly ChunkRow[], trailingDays: number): Promise<void> {
  const today = toLocalDate(ctx.now(), ctx.target.defaultTimezone);
  const sales = chunks.filter((c) => c.kind === 'transactions' && c.status === 'pending');
  for (const chunk of chunks) {
    if (chunk.status !== 'pending') continue;
    const priority = priorityOf(chunk, toLocalDate(ctx.now(), ctx.zoneOf(chunk.siteCode)), trailingDays);
    switch (chunk.kind) {
      case 'transactions':
        await startTransactions(ctx, chunk, priority);
        break;
      case 'washes':
      case 'memberships': {
        const after = sales.filter((s) => s.siteCode === chunk.siteCode && s.fromDay <= chunk.toDay && s.toDay >= chunk.fromDay).map((s) => chunkTag(s.id));
        const start = chunk.kind === 'washes' ? startWashes : startMemberships;
        ctx.progress.expect(chunk.id, chunk.estimatedPages);
        ctx.queue.push({ priority, after, label: `${chunk.kind} ${chunk.siteCode} ${chunk.fromDay}`, run: () => start(ctx, chunk, priority) });
        break;
      }
      case 'labor':
        startLabor(ctx, chunk, priority);
        break;
    }
  }
  const labor = chunks.filter((c) => c.kind === 'labor' && c.status === 'pending');
  if (labor.length) await startEmployees(ctx, Math.min(...labor.map((c) => priorityOf(c, today, trailingDays))) - 0.05);
}

/** Queues fresh sales (Sync now during a run) ahead of everything else. */
export async function scheduleFresh(ctx: RunContext, chunks: readonly ChunkRow[]): Promise<void> {
  for (const chunk of chunks) await startTransactions(ctx, chunk, GROUP.freshen * 1e6);
}
